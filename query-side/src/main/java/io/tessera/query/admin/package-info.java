/**
 * Operator endpoints of the query side, under {@code /api/admin}: rebuilding a read table from the event log
 * without downtime and following its progress (platform admins only), and the dead-letter store of the
 * projections, listed, inspected and retried per tenant (platform admins for every tenant, a tenant's
 * {@code admin} for that tenant alone). Each act is recorded in the audit log of the tenants it touches
 * ({@code AdministrativeActs}).
 */
package io.tessera.query.admin;
