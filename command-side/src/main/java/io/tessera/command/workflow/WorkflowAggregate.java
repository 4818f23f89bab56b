package io.tessera.command.workflow;

import io.tessera.command.axon.EventSourcedAggregate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link Workflow} aggregate, registered with Axon by its feature. */
@Configuration(proxyBeanMethods = false)
class WorkflowAggregate {

    @Bean
    EventSourcedAggregate workflowEventSourced() {
        return EventSourcedAggregate.of(Workflow.class);
    }
}
