package io.tessera.events.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The tenant left the platform: final. Consumers drop every read row of the tenant and keep this event
 * as the audit record. The events already on {@code tessera.events} stay readable in Kafka until
 * per-tenant encryption keys exist to shred (not built yet).
 */
public record TenantOffboarded(@JsonProperty("tenant_id") String tenantId) {}
