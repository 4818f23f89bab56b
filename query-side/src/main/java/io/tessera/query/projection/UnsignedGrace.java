package io.tessera.query.projection;

import io.tessera.events.Topics;
import io.tessera.query.tenancy.TenantTransactions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Which unsigned records of {@code tessera.events} are the command side's from before it signed. A record's value
 * proves nothing without a signature, its claimed position included; so an unsigned record is applied only when the
 * broker put it below the end offset its partition had when the grace was recorded ({@code unsigned_grace}) and it
 * claims a position up to {@code tessera.events.unsigned-until} as well. Anything written to the topic after the
 * recording gets a higher offset, whatever it claims.
 *
 * <p>The end offsets are recorded once, the first time the query side starts with {@code unsigned-until} set; a
 * later start, another instance or a changed setting reads them back and never moves them. Unset (every fresh
 * install): nothing is recorded or read, and no unsigned record is applied. Rebuilds replay {@code event_log},
 * which holds only what was believed when it arrived, and need no grace.
 */
@Component
final class UnsignedGrace {

    private static final Logger log = LoggerFactory.getLogger(UnsignedGrace.class);

    private final Map<Integer, Long> endOffsets;
    private final long lastPosition;

    @Autowired
    UnsignedGrace(EventTrust trust, KafkaAdmin kafka, JdbcClient jdbc, TenantTransactions transactions) {
        this(
                trust.lastUnsignedPosition() < 0 ? Map.of() : recordedOnce(kafka, jdbc, transactions),
                trust.lastUnsignedPosition());
    }

    UnsignedGrace(Map<Integer, Long> endOffsets, long lastPosition) {
        this.endOffsets = Map.copyOf(endOffsets);
        this.lastPosition = lastPosition;
    }

    static UnsignedGrace none() {
        return new UnsignedGrace(Map.of(), -1);
    }

    /** Why an unsigned record claiming {@code position} at {@code place} is not applied; null when it is. */
    String refusal(RecordPlace place, long position) {
        if (lastPosition < 0) {
            return "unsigned";
        }
        if (position > lastPosition) {
            return "unsigned, after position " + lastPosition + " (signing began there)";
        }
        if (place == null || !place.onEventsTopic()) {
            return "unsigned, not read from " + Topics.EVENTS;
        }
        long end = endOffsets.getOrDefault(place.partition(), 0L);
        if (place.offset() >= end) {
            return "unsigned, written after signing began (offset " + place.offset() + " of partition "
                    + place.partition() + "; unsigned records end at offset " + end + ")";
        }
        return null;
    }

    private static Map<Integer, Long> recordedOnce(KafkaAdmin kafka, JdbcClient jdbc, TenantTransactions transactions) {
        Map<Integer, Long> recorded = transactions.projecting(() -> read(jdbc));
        if (!recorded.isEmpty()) {
            return recorded;
        }
        Map<Integer, Long> now = endOffsetsNow(kafka);
        transactions.project(() -> now.forEach((partition, offset) -> jdbc.sql(
                        "INSERT INTO unsigned_grace (topic_partition, end_offset) VALUES (:partition, :offset)"
                                + " ON CONFLICT (topic_partition) DO NOTHING")
                .param("partition", partition)
                .param("offset", offset)
                .update()));
        Map<Integer, Long> kept = transactions.projecting(() -> read(jdbc));
        log.info("Recorded where unsigned events end on {} (partition=end offset): {}", Topics.EVENTS, kept);
        return kept;
    }

    private static Map<Integer, Long> read(JdbcClient jdbc) {
        return jdbc
                .sql("SELECT topic_partition, end_offset FROM unsigned_grace")
                .query((row, i) -> Map.entry(row.getInt(1), row.getLong(2)))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** A topic not created yet holds nothing: every partition it will have ends at 0. */
    private static Map<Integer, Long> endOffsetsNow(KafkaAdmin kafka) {
        try (Admin admin = Admin.create(kafka.getConfigurationProperties())) {
            TopicDescription topic;
            try {
                topic = admin.describeTopics(List.of(Topics.EVENTS))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get(Topics.EVENTS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    Map<Integer, Long> empty = new HashMap<>();
                    for (int partition = 0; partition < KafkaSetup.EVENT_PARTITIONS; partition++) {
                        empty.put(partition, 0L);
                    }
                    return empty;
                }
                throw e;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            topic.partitions()
                    .forEach(p -> latest.put(new TopicPartition(Topics.EVENTS, p.partition()), OffsetSpec.latest()));
            Map<Integer, Long> offsets = new HashMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .forEach((partition, info) -> offsets.put(partition.partition(), info.offset()));
            return offsets;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "Could not read the end offsets of " + Topics.EVENTS + " to record the unsigned grace", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while recording the unsigned grace", e);
        }
    }
}
