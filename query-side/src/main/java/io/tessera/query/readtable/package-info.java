/**
 * What the tenants' resource tables (deployments, workflows) have in common: a row per resource keyed by tenant
 * and id, a status counted in {@code tenant_stats}, soft deletion and the aggregate sequence as {@code version}.
 * {@code ReadTableProjection} keeps such a table from a feature's events, live and in a rebuild's folded replay;
 * {@code ReadTableQueries} and {@code ReadTableEndpoint} read it for the API through the cache. A feature keeps
 * only what is its own: its events, its columns, its view.
 */
package io.tessera.query.readtable;
