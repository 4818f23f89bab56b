package io.tessera.events.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The tenant left the platform: final. Its data keys are destroyed in the same transaction, so the
 * personal data in its events (the {@code pii:v1:} envelopes) is unreadable wherever they are kept.
 * Consumers drop every read row of the tenant and keep this event as the audit record.
 */
public record TenantOffboarded(@JsonProperty("tenant_id") String tenantId) {}
