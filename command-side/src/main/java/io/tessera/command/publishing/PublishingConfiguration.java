package io.tessera.command.publishing;

import io.tessera.command.axon.AxonNode;
import io.tessera.command.axon.CommandMetadata;
import io.tessera.command.axon.ConfigurerCustomizer;
import io.tessera.events.Topics;
import io.tessera.infra.signing.EventSigner;
import io.tessera.infra.transport.TopicReplication;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.async.MetaDataSequencingPolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.ProducerFactory;

@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PublisherSettings.class, SigningSettings.class})
class PublishingConfiguration {

    static final int BATCH_SIZE = 100;

    /**
     * Segments by tenant: the record key is the tenant, so one tenant's events go to one partition, and with
     * the sequencing policy on {@code tenant_id} they are also published by one thread, in position order.
     * {@code andInitialSegmentsCount} counts only where the processor has no token yet; {@link SegmentBalancer}
     * splits an existing smaller set.
     */
    @Bean
    ConfigurerCustomizer publisherProcessor(CloudEventPublisher publisher, PublisherSettings settings) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(
                        CloudEventPublisher.PROCESSOR,
                        Configuration::eventStore,
                        c -> TrackingEventProcessorConfiguration.forParallelProcessing(settings.threads())
                                .andBatchSize(BATCH_SIZE)
                                .andInitialSegmentsCount(settings.segments())
                                .andTokenClaimInterval(
                                        settings.tokenClaimInterval().toMillis(), TimeUnit.MILLISECONDS))
                .registerSequencingPolicy(
                        CloudEventPublisher.PROCESSOR,
                        c -> MetaDataSequencingPolicy.builder()
                                .metaDataKey(CommandMetadata.TENANT_ID)
                                .build())
                .registerEventHandler(c -> publisher)
                .registerListenerInvocationErrorHandler(
                        CloudEventPublisher.PROCESSOR, c -> PropagatingErrorHandler.instance())
                .registerErrorHandler(CloudEventPublisher.PROCESSOR, c -> PropagatingErrorHandler.instance()));
    }

    @Bean
    SmartLifecycle publisherSegmentBalancer(
            Configuration axon, AxonNode node, JdbcTemplate jdbc, PublisherSettings settings) {
        return new SegmentBalancer(axon, node, jdbc, settings);
    }

    /** Named {@code publisher} in the health report, a member of the readiness group. */
    @Bean
    PublisherLag publisherHealthIndicator(
            JdbcTemplate jdbc,
            Configuration axon,
            @Value("${tessera.health.publisher-lag-limit:30s}") Duration limit,
            @Value("${tessera.health.timeout:2s}") Duration bound,
            @Value("${tessera.health.reuse-for:5s}") Duration reuseFor) {
        return new PublisherLag(jdbc, axon.serializer(), limit, bound, reuseFor, Clock.systemUTC());
    }

    /** Refuses to start without a signing key. */
    @Bean
    EventSigner eventSigner(SigningSettings settings) {
        return settings.signer();
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
