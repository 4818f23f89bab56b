package io.tessera.local.faults;

import static org.awaitility.Awaitility.await;

import io.tessera.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code tessera.events} from its beginning, all partitions, on a thread of its own, and keeps one
 * {@link Copy} per record of the tenants it watches (every copy: redeliveries are counted, not hidden).
 * Reads only what the brokers acknowledged (the high watermark), so a copy seen is a copy Kafka kept.
 */
final class EventsProbe implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One record: the event's id, its position as published, where it sits in Kafka, its send time. */
    record Copy(
            String id,
            String tenant,
            long position,
            long sequence,
            String subject,
            int partition,
            long offset,
            long timestamp) {

        /** The record as a copy of a command-side CloudEvent; null for anything else (poison, foreign). */
        static Copy of(ConsumerRecord<String, String> record) {
            JsonNode event;
            try {
                event = JSON.readTree(record.value());
            } catch (RuntimeException notJson) {
                return null;
            }
            if (event == null
                    || !"/tessera/command-side".equals(event.path("source").asString(""))
                    || !event.hasNonNull("id")) {
                return null;
            }
            return new Copy(
                    event.get("id").asString(),
                    event.path("tenantid").asString(""),
                    event.path("position").asLong(-1),
                    event.path("sequence").asLong(-1),
                    event.path("subject").asString(""),
                    record.partition(),
                    record.offset(),
                    record.timestamp());
        }
    }

    private final Set<String> tenants;
    private final Map<String, List<Copy>> copies = new HashMap<>();
    private final Thread thread;
    private final String bootstrap;
    private volatile boolean running = true;
    private volatile Throwable failure;

    EventsProbe(String bootstrap, Set<String> tenants) {
        this.bootstrap = bootstrap;
        this.tenants = Set.copyOf(tenants);
        this.thread = new Thread(this::consume, "fault-events-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void consume() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = await("partitions of " + Topics.EVENTS)
                    .atMost(Duration.ofMinutes(5))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(
                            () -> running
                                    ? consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(10)).stream()
                                            .map(p -> new TopicPartition(Topics.EVENTS, p.partition()))
                                            .toList()
                                    : List.<TopicPartition>of(),
                            found -> !running || !found.isEmpty());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    keep(record);
                }
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    private void keep(ConsumerRecord<String, String> record) {
        if (record.key() == null || !tenants.contains(record.key())) {
            return;
        }
        Copy copy = Copy.of(record);
        if (copy == null) {
            throw new IllegalStateException("Not a CloudEvent of the command side: " + record.value());
        }
        synchronized (copies) {
            copies.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(copy);
        }
    }

    /** The copies of each watched tenant in the order read (per partition: log order). */
    Map<String, List<Copy>> copies() {
        if (failure != null) {
            throw new IllegalStateException("The probe failed", failure);
        }
        synchronized (copies) {
            Map<String, List<Copy>> snapshot = new HashMap<>();
            copies.forEach((tenant, list) -> snapshot.put(tenant, List.copyOf(list)));
            return snapshot;
        }
    }

    long distinctIds() {
        return copies().values().stream()
                .flatMap(List::stream)
                .map(Copy::id)
                .distinct()
                .count();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }
}
