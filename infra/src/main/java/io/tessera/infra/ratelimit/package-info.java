/**
 * Per-tenant request rate limits, exact across instances: one token bucket per tenant and side, kept in
 * PostgreSQL by Bucket4j, consulted once per {@code /api} request after the tenant is resolved.
 */
package io.tessera.infra.ratelimit;
