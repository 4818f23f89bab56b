/**
 * The deployments read model: one row per deployment of a tenant, kept by {@code DeploymentProjection}
 * from the deployment events (with the tenant's counters by status), and served by
 * {@code GET /api/deployments} and {@code GET /api/deployments/{id}}, always within the request's tenant.
 */
package io.tessera.query.deployment;
