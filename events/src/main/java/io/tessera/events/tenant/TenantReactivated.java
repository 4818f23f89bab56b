package io.tessera.events.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;

public record TenantReactivated(@JsonProperty("tenant_id") String tenantId) {}
