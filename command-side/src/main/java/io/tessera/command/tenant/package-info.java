/**
 * Tenants and their creation quotas: the {@link io.tessera.command.tenant.Tenant} aggregate counts
 * every deployment and workflow creation against a rolling hour and creates the child aggregate in the
 * same unit of work, only while the tenant is active; platform admins create tenants, set quotas, suspend,
 * reactivate and offboard them through the endpoints here.
 */
package io.tessera.command.tenant;
