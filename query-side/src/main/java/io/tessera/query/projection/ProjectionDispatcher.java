package io.tessera.query.projection;

import io.tessera.infra.observability.TraceContext;
import io.tessera.query.freshness.AppliedPositions;
import io.tessera.query.tenancy.TenantTransactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Applies the records of a poll: every projection and each tenant's applied position in one transaction, as
 * the projector role, which may write the rows of every tenant, under the tenants' projection locks; nothing
 * of a tenant offboarded before. A batch that fails for any reason but the database away is rolled back and
 * applied again one record per transaction, which finds the culprit. A database that cannot be reached (or a deadlock, a serialization failure)
 * propagates, so the record is retried. Anything else a projection throws puts the event into the
 * dead-letter store ({@link DeadLetterQueue}), as does a record that cannot be read or is not signed by the command
 * side (counted on its own: {@code tessera.events.unverified}); later events of an
 * aggregate with dead letters wait there behind them.
 */
@Component
public class ProjectionDispatcher {

    private static final Logger log = LoggerFactory.getLogger(ProjectionDispatcher.class);

    private final CloudEventReader reader;
    private final List<EventProjection> projections;
    private final TenantTransactions transactions;
    private final JdbcClient jdbc;
    private final AppliedPositions positions;
    private final List<AppliedEventListener> listeners;
    private final DeadLetterQueue deadLetters;
    private final TenantProjectionLock lock;
    private final ProjectionMetrics metrics;

    ProjectionDispatcher(
            CloudEventReader reader,
            List<EventProjection> projections,
            TenantTransactions transactions,
            JdbcClient jdbc,
            AppliedPositions positions,
            List<AppliedEventListener> listeners,
            DeadLetterQueue deadLetters,
            TenantProjectionLock lock,
            ProjectionMetrics metrics) {
        this.listeners = List.copyOf(listeners);
        this.metrics = metrics;
        this.reader = reader;
        this.projections = List.copyOf(projections);
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.positions = positions;
        this.deadLetters = deadLetters;
        this.lock = lock;
    }

    /** A record of {@code tessera.events} as it came: its JSON, Kafka timestamp, place and trace. */
    record EventRecord(String json, Instant recordTime, RecordPlace place, TraceContext trace) {

        String origin() {
            return place.origin();
        }
    }

    /**
     * Applies a poll's records in one transaction: each tenant's lock once (taken in tenant order, so two batches
     * wait on each other in a circle only if two tenants' lock keys collide; PostgreSQL then breaks the deadlock and
     * the batch is retried as transient), each tenant's position once and one commit, where a transaction per record
     * paid all of that per event (the query side's largest cost in the benchmark, benchmarks/README.md). A
     * batch with an unreadable record, or one a projection refuses, goes one record at a time instead. A failure
     * leaves as a {@link BatchListenerFailedException} naming its record: the records before it are committed,
     * that one and the rest come again.
     */
    void dispatchAll(List<EventRecord> records) {
        List<ProjectedEvent> events = readable(records);
        if (events.size() < 2 || events.size() < records.size()) {
            dispatchEach(records);
            return;
        }
        Batch batch;
        try {
            batch = transactions.projecting(() -> applyBatchLocked(records, events));
        } catch (RuntimeException e) {
            if (ProjectionFailures.isTransient(e)) {
                throw new BatchListenerFailedException("The read tables are unavailable", e, 0);
            }
            log.info(
                    "A batch of {} event records from {} was refused ({}); applying them one at a time",
                    records.size(),
                    records.get(0).origin(),
                    ProjectionFailures.describe(e));
            dispatchEach(records);
            return;
        }
        for (int i = 0; i < records.size(); i++) {
            ProjectedEvent event = events.get(i);
            try (TraceContext.Scope scope = records.get(i).trace().open();
                    MDC.MDCCloseable tenant = MDC.putCloseable("tenant_id", event.tenantId());
                    MDC.MDCCloseable command = MDC.putCloseable("command_id", event.commandId())) {
                if (batch.waiting().contains(i)) {
                    log.info(
                            "Event record {} waits behind a dead letter of aggregate {}",
                            records.get(i).origin(),
                            event.aggregateId());
                    metrics.deadLettered();
                } else {
                    committed(event);
                }
            } catch (RuntimeException e) {
                // The batch is committed: this record and the rest come again, apply as no-ops and evict then.
                throw new BatchListenerFailedException(
                        "Event record " + records.get(i).origin() + " failed", e, i);
            }
        }
    }

    /** Which records of a batch were queued behind a dead letter instead of applied (by index). */
    private record Batch(Set<Integer> waiting) {}

    private List<ProjectedEvent> readable(List<EventRecord> records) {
        List<ProjectedEvent> events = new ArrayList<>(records.size());
        for (EventRecord record : records) {
            if (reader.read(record.json(), record.recordTime(), record.place())
                    instanceof CloudEventReader.Readable readable) {
                events.add(readable.event());
            }
        }
        return events;
    }

    private Batch applyBatchLocked(List<EventRecord> records, List<ProjectedEvent> events) {
        events.stream().map(ProjectedEvent::tenantId).distinct().sorted().forEach(lock::lock);
        Set<Integer> waiting = new HashSet<>();
        Map<String, Long> positions = new TreeMap<>();
        for (int i = 0; i < events.size(); i++) {
            ProjectedEvent event = events.get(i);
            try (TraceContext.Scope scope = records.get(i).trace().open();
                    MDC.MDCCloseable tenant = MDC.putCloseable("tenant_id", event.tenantId());
                    MDC.MDCCloseable command = MDC.putCloseable("command_id", event.commandId())) {
                if (deadLetters.blocked(event.tenantId(), event.aggregateId())) {
                    deadLetters.queueBehind(
                            event, records.get(i).json(), records.get(i).origin());
                    waiting.add(i);
                    continue;
                }
                project(event);
                positions.merge(event.tenantId(), event.position(), Math::max);
            }
        }
        positions.forEach(this::advancePosition);
        return new Batch(waiting);
    }

    private void dispatchEach(List<EventRecord> records) {
        for (int i = 0; i < records.size(); i++) {
            EventRecord record = records.get(i);
            try (TraceContext.Scope scope = record.trace().open()) {
                dispatch(record.json(), record.recordTime(), record.place());
            } catch (RuntimeException e) {
                throw new BatchListenerFailedException("Event record " + record.origin() + " failed", e, i);
            }
        }
    }

    /** Returns whether the record was applied (false: dead-lettered, or queued behind a dead letter). */
    boolean dispatch(String json, Instant recordTime, RecordPlace place) {
        String origin = place.origin();
        CloudEventReader.Outcome outcome = reader.read(json, recordTime, place);
        if (outcome instanceof CloudEventReader.Unverified unverified) {
            log.warn("Dead-lettering event record {}, not the command side's: {}", origin, unverified.reason());
            deadLetters.unverified(json, unverified.reason(), origin);
            metrics.unverified();
            return false;
        }
        if (outcome instanceof CloudEventReader.Unreadable unreadable) {
            log.warn("Dead-lettering event record {}: {}", origin, unreadable.reason());
            deadLetters.unreadable(json, unreadable.reason(), origin);
            metrics.deadLettered();
            return false;
        }
        ProjectedEvent event = ((CloudEventReader.Readable) outcome).event();
        try (MDC.MDCCloseable tenant = MDC.putCloseable("tenant_id", event.tenantId());
                MDC.MDCCloseable command = MDC.putCloseable("command_id", event.commandId())) {
            boolean applied;
            try {
                applied = transactions.projecting(() -> {
                    lock.lock(event.tenantId());
                    if (deadLetters.blocked(event.tenantId(), event.aggregateId())) {
                        deadLetters.queueBehind(event, json, origin);
                        return false;
                    }
                    applyLocked(event);
                    return true;
                });
            } catch (RuntimeException e) {
                if (ProjectionFailures.isTransient(e)) {
                    throw e;
                }
                log.error(
                        "Dead-lettering event record {} ({} of aggregate {}, sequence {}): {}",
                        origin,
                        event.type(),
                        event.aggregateId(),
                        event.sequence(),
                        ProjectionFailures.describe(e));
                deadLetters.failed(event, json, origin, e);
                metrics.deadLettered();
                return false;
            }
            if (!applied) {
                log.info("Event record {} waits behind a dead letter of aggregate {}", origin, event.aggregateId());
                metrics.deadLettered();
                return false;
            }
            committed(event);
        }
        return true;
    }

    public CloudEventReader reader() {
        return reader;
    }

    /** Inside a projector transaction holding the tenant's lock: every projection, then the position. */
    public void applyLocked(ProjectedEvent event) {
        project(event);
        advancePosition(event.tenantId(), event.position());
    }

    private void project(ProjectedEvent event) {
        if (!offboarded(event.tenantId())) {
            projections.forEach(projection -> projection.apply(event));
        }
    }

    /** After the commit of an applied event. */
    public void committed(ProjectedEvent event) {
        listeners.forEach(listener -> listener.applied(event.tenantId(), event.position()));
        positions.signalApplied(event.tenantId(), event.position());
        metrics.applied(event);
        log.debug("Applied {} at position {}", event.type(), event.position());
    }

    /** An offboarded tenant's rows are gone; a redelivered event of it must not bring one back. */
    private boolean offboarded(String tenantId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = :tenantId AND status = 'offboarded')")
                .param("tenantId", tenantId)
                .query(Boolean.class)
                .single();
    }

    private void advancePosition(String tenantId, long position) {
        jdbc.sql("""
                        INSERT INTO projection_positions (tenant_id, position, updated_at)
                        SELECT :tenantId, :position, now()
                        WHERE NOT EXISTS (SELECT 1 FROM tenants WHERE id = :tenantId AND status = 'offboarded')
                        ON CONFLICT (tenant_id) DO UPDATE
                        SET position = GREATEST(projection_positions.position, EXCLUDED.position),
                            updated_at = now()
                        """).param("tenantId", tenantId).param("position", position).update();
    }
}
