package io.tessera.command.deployment;

import io.tessera.command.axon.EventSourcedAggregate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link Deployment} aggregate, registered with Axon by its feature. */
@Configuration(proxyBeanMethods = false)
class DeploymentAggregate {

    @Bean
    EventSourcedAggregate deploymentEventSourced() {
        return EventSourcedAggregate.of(Deployment.class);
    }
}
