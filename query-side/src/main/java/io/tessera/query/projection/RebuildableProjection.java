package io.tessera.query.projection;

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
}
