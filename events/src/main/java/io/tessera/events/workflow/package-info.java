/**
 * Workflows of a tenant: a name, a JSON configuration, and a status life cycle of draft, active,
 * paused, archived. Creation is counted against the tenant's hourly quota.
 */
package io.tessera.events.workflow;
