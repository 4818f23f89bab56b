package io.tessera.command.publishing;

import io.tessera.command.axon.ConfigurerCustomizer;
import io.tessera.events.Topics;
import io.tessera.infra.transport.TopicReplication;
import org.apache.kafka.clients.admin.NewTopic;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.ProducerFactory;

@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class PublishingConfiguration {

    static final int BATCH_SIZE = 100;

    @Bean
    ConfigurerCustomizer publisherProcessor(CloudEventPublisher publisher) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(
                        CloudEventPublisher.PROCESSOR,
                        Configuration::eventStore,
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andBatchSize(BATCH_SIZE)
                                .andInitialSegmentsCount(1))
                .registerEventHandler(c -> publisher)
                .registerListenerInvocationErrorHandler(
                        CloudEventPublisher.PROCESSOR, c -> PropagatingErrorHandler.instance())
                .registerErrorHandler(CloudEventPublisher.PROCESSOR, c -> PropagatingErrorHandler.instance()));
    }

    /** Refuses to start with producer settings that would publish without acks=all or idempotence. */
    @Bean
    ProducerGuarantees producerGuarantees(ProducerFactory<?, ?> producerFactory) {
        return ProducerGuarantees.effective(producerFactory.getConfigurationProperties())
                .require();
    }

    /** Replication factor and min ISR from {@link TopicReplication} (broker defaults unless set). */
    @Bean
    NewTopic commandsTopic(Environment environment) {
        return TopicReplication.from(environment).topic(Topics.COMMANDS, 6);
    }

    @Bean
    NewTopic commandResultsTopic(Environment environment) {
        return TopicReplication.from(environment).topic(Topics.COMMAND_RESULTS, 6);
    }

    @Bean
    NewTopic commandsDeadLetterTopic(Environment environment) {
        return TopicReplication.from(environment).topic(Topics.COMMANDS_DLQ, 1);
    }

    @Bean
    NewTopic eventsTopic(Environment environment) {
        return TopicReplication.from(environment).topic(Topics.EVENTS, 12);
    }
}
