/**
 * Tenants and their statistics: {@code TenantProjection} keeps the tenants table from the tenant
 * events, the counters are kept by the other projections as rows change, and {@code GET /api/tenants}
 * and {@code GET /api/tenants/{id}/stats} answer only for tenants the caller may act for.
 */
package io.tessera.query.tenant;
