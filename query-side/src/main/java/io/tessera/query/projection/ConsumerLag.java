package io.tessera.query.projection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.events.Topics;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * {@code tessera.projection.consumer.lag{group}}: records of {@code tessera.events} the projections' consumer
 * group has not committed yet, summed over partitions; measured every {@value #PERIOD_SECONDS} s through the
 * admin client (never on the scrape itself). {@code -1} until the first measurement.
 */
@Component
class ConsumerLag implements SmartLifecycle {

    static final String GROUP = "tessera-query-side";
    static final long PERIOD_SECONDS = 10;
    private static final Logger log = LoggerFactory.getLogger(ConsumerLag.class);

    private final KafkaAdmin kafkaAdmin;
    private final AtomicLong lag = new AtomicLong(-1);
    private ScheduledExecutorService scheduler;
    private Admin admin;

    ConsumerLag(KafkaAdmin kafkaAdmin, MeterRegistry meters) {
        this.kafkaAdmin = kafkaAdmin;
        Gauge.builder("tessera.projection.consumer.lag", lag, AtomicLong::get)
                .description("Records of tessera.events not yet committed by the projections' consumer group")
                .tag("group", GROUP)
                .baseUnit("records")
                .register(meters);
    }

    /** The latest measurement, {@code -1} before the first. */
    long records() {
        return lag.get();
    }

    long measure() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata()
                .get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> partitions = admin
                .describeTopics(java.util.List.of(Topics.EVENTS))
                .allTopicNames()
                .get(5, TimeUnit.SECONDS)
                .get(Topics.EVENTS)
                .partitions()
                .stream()
                .collect(Collectors.toMap(
                        p -> new TopicPartition(Topics.EVENTS, p.partition()), p -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(partitions).all().get(5, TimeUnit.SECONDS);
        long total = 0;
        for (var end : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            total += Math.max(0, end.getValue().offset() - (done == null ? 0 : done.offset()));
        }
        return total;
    }

    @Override
    public synchronized void start() {
        admin = Admin.create(kafkaAdmin.getConfigurationProperties());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tessera-consumer-lag");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        lag.set(measure());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        log.debug("Could not measure the consumer lag of {}", GROUP, e);
                    }
                },
                0,
                PERIOD_SECONDS,
                TimeUnit.SECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
            admin = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
