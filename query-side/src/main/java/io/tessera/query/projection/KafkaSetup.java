package io.tessera.query.projection;

import io.tessera.events.Topics;
import io.tessera.infra.transport.TopicReplication;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The events topic (created if missing, 12 partitions keyed by tenant, replicated as {@link TopicReplication}
 * says) and the retry policy: a database outage is retried with back-off for as long as it lasts, from the record
 * the batch failed at (the dispatcher names it), without committing its offset. A record a projection refuses
 * goes to the dead-letter store in the dispatcher already; should even that write fail for good, the record is
 * logged and skipped here.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventTrust.class)
class KafkaSetup {

    static final int EVENT_PARTITIONS = 12;

    private static final Logger log = LoggerFactory.getLogger(KafkaSetup.class);

    @Bean
    NewTopic eventsTopic(Environment environment) {
        return TopicReplication.from(environment).topic(Topics.EVENTS, EVENT_PARTITIONS);
    }

    @Bean
    DefaultErrorHandler projectionErrorHandler(ProjectionMetrics metrics) {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(
                (record, e) -> {
                    log.error(
                            "Skipping event record {}-{}@{}: the read tables refuse it",
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            e);
                    metrics.skipped();
                },
                backOff);
        handler.addNotRetryableExceptions(
                DataIntegrityViolationException.class, NullPointerException.class, IllegalArgumentException.class);
        return handler;
    }
}
