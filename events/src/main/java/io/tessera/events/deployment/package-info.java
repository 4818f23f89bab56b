/**
 * Deployments of a tenant's projects and their status life cycle: pending, building, active, failed,
 * cancelled. Creation is counted against the tenant's hourly quota. The commands that upstream systems send
 * arrive as payloads (CreateDeploymentPayload, UpdateDeploymentPayload) and leave as events.
 */
package io.tessera.events.deployment;
