package io.tessera.query.rebuild;

import io.tessera.query.projection.EventProjection;
import io.tessera.query.projection.ProjectedEvent;
import java.util.List;

/**
 * A projection whose read table can be rebuilt from the event log ({@link ProjectionRebuilds}): it writes
 * only its own table (by its unqualified name, so that a rebuild can point it at a shadow) and the
 * {@code tenant_stats} rows of its kind, through {@link StatsCounter}.
 */
public interface RebuildableProjection extends EventProjection {

    /** The read table, also the rebuild's name: {@code deployments}, {@code workflows}, {@code users}. */
    String table();

    /** The {@code tenant_stats.kind} this projection counts. */
    String statsKind();

    /**
     * A replay's chunk, in position order per tenant, into a table no one else writes meanwhile: as
     * {@link #apply} one event after the other would leave it. A projection may fold the chunk in memory and
     * write each row once.
     */
    default void applyAll(List<ProjectedEvent> events) {
        events.forEach(this::apply);
    }
}
