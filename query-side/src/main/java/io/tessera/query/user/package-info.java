/**
 * The users read model: one row per user of a tenant with e-mail and role, kept by
 * {@code UserProjection} from the user events (with the tenant's counters by role), and served by
 * {@code GET /api/users} within the request's tenant.
 */
package io.tessera.query.user;
