/**
 * Deployments of a tenant's projects and their status life cycle: pending, building, active, failed,
 * cancelled. Creation is counted against the tenant's hourly quota.
 */
package io.tessera.events.deployment;
