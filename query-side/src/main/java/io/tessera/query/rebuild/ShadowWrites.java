package io.tessera.query.rebuild;

import io.tessera.query.projection.CloudEventReader;
import io.tessera.query.projection.LoggedEvent;
import io.tessera.query.projection.ProjectedEvent;
import io.tessera.query.projection.ProjectionFailures;
import io.tessera.query.tenancy.TenantTransactions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Logged events written into the shadow through the live projection class: each event's data read again as its
 * type, and an event the projection refuses, or whose data no longer reads, skipped and logged.
 */
final class ShadowWrites {

    private static final Logger log = LoggerFactory.getLogger(ShadowWrites.class);

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final CloudEventReader reader;
    private final String name;
    private final RebuildableProjection projection;
    private final String shadow;

    ShadowWrites(
            JdbcClient jdbc,
            TenantTransactions transactions,
            CloudEventReader reader,
            String name,
            RebuildableProjection projection,
            String shadow) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.reader = reader;
        this.name = name;
        this.projection = projection;
        this.shadow = shadow;
    }

    /**
     * Applies the rows into the shadow in one transaction; should the projection refuse one, again one
     * transaction per row, skipping those it refuses (false in the answer, as for unreadable data): the live consumer would have
     * dead-lettered them, so the read table never had them either.
     */
    List<Boolean> applyChunk(List<LoggedEvent> rows) {
        List<Boolean> applied;
        try {
            applied = transactions.projectingInto(shadow, () -> applyAll(rows));
        } catch (RuntimeException e) {
            if (ProjectionFailures.isTransient(e)) {
                throw e;
            }
            applied = rows.stream()
                    .map(row -> {
                        try {
                            return transactions.projectingInto(shadow, () -> apply(row));
                        } catch (RuntimeException refused) {
                            if (ProjectionFailures.isTransient(refused)) {
                                throw refused;
                            }
                            refused(row, refused);
                            return false;
                        }
                    })
                    .toList();
        }
        return applied;
    }

    /** The chunk to the projection at once ({@link RebuildableProjection#applyAll}); which rows it could read. */
    private List<Boolean> applyAll(List<LoggedEvent> rows) {
        List<ProjectedEvent> events = new ArrayList<>(rows.size());
        List<Boolean> readable = new ArrayList<>(rows.size());
        for (LoggedEvent row : rows) {
            Optional<Object> payload = payload(row);
            payload.ifPresent(data -> events.add(row.event(data)));
            readable.add(payload.isPresent());
        }
        projection.applyAll(events);
        return readable;
    }

    private Optional<Object> payload(LoggedEvent row) {
        Optional<Object> payload = reader.payload(row.type(), row.data());
        if (payload.isEmpty()) {
            log.warn(
                    "Rebuild of {} skips the event at position {}: its data does not read as {}",
                    name,
                    row.position(),
                    row.type());
        }
        return payload;
    }

    /** Whether the projection took the event (false: its data no longer reads as its type). */
    private boolean apply(LoggedEvent row) {
        Optional<Object> payload = payload(row);
        payload.ifPresent(data -> projection.apply(row.event(data)));
        return payload.isPresent();
    }

    private void refused(LoggedEvent row, RuntimeException e) {
        log.warn(
                "Rebuild of {} skips the event at position {} of tenant {}: the projection refuses it ({})",
                name,
                row.position(),
                row.tenantId(),
                ProjectionFailures.describe(e));
    }

    /**
     * Inside the switch's transaction: one event behind a savepoint, so that one the projection refuses is skipped
     * without aborting the switch; whether it was applied.
     */
    boolean applyBehindSavepoint(LoggedEvent row) {
        jdbc.sql("SAVEPOINT replayed_event").update();
        try {
            boolean applied = apply(row);
            jdbc.sql("RELEASE SAVEPOINT replayed_event").update();
            return applied;
        } catch (RuntimeException e) {
            if (ProjectionFailures.isTransient(e)) {
                throw e;
            }
            jdbc.sql("ROLLBACK TO SAVEPOINT replayed_event").update();
            refused(row, e);
            return false;
        }
    }
}
