package io.tessera.command.publishing;

import io.tessera.command.axon.ConfigurerCustomizer;
import io.tessera.events.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;

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

    @Bean
    NewTopic commandsTopic() {
        return TopicBuilder.name(Topics.COMMANDS).partitions(6).build();
    }

    @Bean
    NewTopic commandResultsTopic() {
        return TopicBuilder.name(Topics.COMMAND_RESULTS).partitions(6).build();
    }

    @Bean
    NewTopic commandsDeadLetterTopic() {
        return TopicBuilder.name(Topics.COMMANDS_DLQ).partitions(1).build();
    }

    @Bean
    NewTopic eventsTopic() {
        return TopicBuilder.name(Topics.EVENTS).partitions(12).build();
    }
}
