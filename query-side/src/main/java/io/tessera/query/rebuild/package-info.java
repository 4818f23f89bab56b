/**
 * Rebuilds of a read table from {@code event_log}: a claim per table, a shadow schema with the table's definition
 * copied from the catalog, a replay through the live projection class, catch-up rounds and a switch-over in one
 * owner transaction. A projection takes part by being a {@code RebuildableProjection}; operators start and watch
 * rebuilds through {@code ProjectionRebuilds}.
 */
package io.tessera.query.rebuild;
