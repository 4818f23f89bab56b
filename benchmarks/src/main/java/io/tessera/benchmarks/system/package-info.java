/**
 * The system under test, started in the benchmark's own JVM on the embedded runtime (PostgreSQL, a KRaft
 * broker, the command side, a query side with the cache and one without), the tenants and their tokens, and
 * the HTTP client the scenarios share.
 */
package io.tessera.benchmarks.system;
