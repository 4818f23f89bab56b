/**
 * S1, reads: the dashboard's mix (first pages, deep cursor pages, filters, stats) over Zipf-chosen tenants at
 * rising rates, on the cached and the uncached query side, beside the same statements through bare JDBC and a
 * bare HTTP endpoint.
 */
package io.tessera.benchmarks.reads;
