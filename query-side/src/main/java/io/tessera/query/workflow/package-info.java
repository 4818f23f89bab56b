/**
 * The workflows read model: one row per workflow of a tenant with its JSON configuration, kept by
 * {@code WorkflowProjection} from the workflow events (with the tenant's counters by status), and
 * served by {@code GET /api/workflows} and {@code GET /api/workflows/{id}} within the request's tenant.
 */
package io.tessera.query.workflow;
