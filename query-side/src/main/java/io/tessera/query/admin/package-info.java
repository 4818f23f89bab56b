/**
 * Operator endpoints of the query side, under {@code /api/admin}: rebuilding a read table from the event log
 * without downtime and following its progress (platform admins only), and the dead-letter store of the
 * projections, listed, inspected and retried per tenant (platform admins for every tenant, a tenant's
 * {@code admin} for that tenant alone).
 */
package io.tessera.query.admin;
