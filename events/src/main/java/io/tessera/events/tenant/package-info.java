/**
 * Tenants: creation, quotas, lifecycle (suspended, reactivated, offboarded) and the creation counts that quotas are enforced on. Tenant
 * administration is not tenant-scoped; only a platform admin sends these commands.
 */
package io.tessera.events.tenant;
