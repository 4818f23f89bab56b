package io.tessera.events.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The tenant's commands are refused until it is reactivated; its data stays readable. */
public record TenantSuspended(@JsonProperty("tenant_id") String tenantId) {}
