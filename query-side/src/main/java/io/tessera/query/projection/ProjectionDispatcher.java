package io.tessera.query.projection;

import io.tessera.infra.web.Unavailability;
import io.tessera.query.cache.QueryCache;
import io.tessera.query.tenancy.TenantTransactions;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies one record: every projection and the tenant's applied position in one transaction, as the
 * projector role, which may write the rows of every tenant, under the tenant's projection lock; nothing of a
 * tenant offboarded before. A database that cannot be reached (or a deadlock, a serialization failure)
 * propagates, so the record is retried. Anything else a projection throws puts the event into the
 * dead-letter store ({@link DeadLetters}), as does a record that cannot be read; later events of an
 * aggregate with dead letters wait there behind them.
 */
@Component
class ProjectionDispatcher {

    private static final Logger log = LoggerFactory.getLogger(ProjectionDispatcher.class);

    /** SQLSTATE classes worth retrying: connection, transaction rollback, resources, operator, system. */
    private static final Set<String> TRANSIENT_STATE_CLASSES = Set.of("08", "40", "53", "57", "58");

    private final CloudEventReader reader;
    private final List<EventProjection> projections;
    private final TenantTransactions transactions;
    private final JdbcClient jdbc;
    private final AppliedPositions positions;
    private final QueryCache cache;
    private final DeadLetters deadLetters;
    private final ProjectionMetrics metrics;

    ProjectionDispatcher(
            JsonMapper jsonMapper,
            List<EventProjection> projections,
            TenantTransactions transactions,
            JdbcClient jdbc,
            AppliedPositions positions,
            QueryCache cache,
            DeadLetters deadLetters,
            ProjectionMetrics metrics) {
        this.cache = cache;
        this.metrics = metrics;
        this.reader = new CloudEventReader(jsonMapper);
        this.projections = List.copyOf(projections);
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.positions = positions;
        this.deadLetters = deadLetters;
    }

    /** Returns whether the record was applied (false: dead-lettered, or queued behind a dead letter). */
    boolean dispatch(String json, Instant recordTime, String origin) {
        CloudEventReader.Outcome outcome = reader.read(json, recordTime);
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
                    deadLetters.lockTenant(event.tenantId());
                    if (deadLetters.blocked(event.tenantId(), event.aggregateId())) {
                        deadLetters.enqueue(event, json, origin, DeadLetter.WAITING, null);
                        return false;
                    }
                    applyLocked(event);
                    return true;
                });
            } catch (RuntimeException e) {
                if (isTransient(e)) {
                    throw e;
                }
                log.error(
                        "Dead-lettering event record {} ({} of aggregate {}, sequence {}): {}",
                        origin,
                        event.type(),
                        event.aggregateId(),
                        event.sequence(),
                        DeadLetters.describe(e));
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

    CloudEventReader reader() {
        return reader;
    }

    /** Inside a projector transaction holding the tenant's lock: every projection, then the position. */
    void applyLocked(ProjectedEvent event) {
        if (!offboarded(event.tenantId())) {
            projections.forEach(projection -> projection.apply(event));
        }
        advancePosition(event);
    }

    /** After the commit of an applied event. */
    void committed(ProjectedEvent event) {
        // This instance's cached answers of the tenant go now that the change is committed; every instance
        // (this one too) also evicts when its invalidation consumer reads the event (io.tessera.query.cache).
        cache.evictTenant(event.tenantId(), event.position());
        positions.signalApplied();
        metrics.applied(event);
        log.debug("Applied {} at position {}", event.type(), event.position());
    }

    /**
     * A failure that may pass by itself: the database away (as the API's 503s see it, Hikari's "Connection is
     * closed" and a failed rollback included: a frozen link must never dead-letter a good event), a deadlock, a
     * serialization failure.
     */
    static boolean isTransient(Throwable failure) {
        if (Unavailability.isDatabaseUnavailable(failure)) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().length() >= 2
                    && TRANSIENT_STATE_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    /** An offboarded tenant's rows are gone; a redelivered event of it must not bring one back. */
    private boolean offboarded(String tenantId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = :tenantId AND status = 'offboarded')")
                .param("tenantId", tenantId)
                .query(Boolean.class)
                .single();
    }

    private void advancePosition(ProjectedEvent event) {
        jdbc.sql("""
                        INSERT INTO projection_positions (tenant_id, position, updated_at)
                        VALUES (:tenantId, :position, now())
                        ON CONFLICT (tenant_id) DO UPDATE
                        SET position = GREATEST(projection_positions.position, EXCLUDED.position),
                            updated_at = now()
                        """)
                .param("tenantId", event.tenantId())
                .param("position", event.position())
                .update();
    }
}
