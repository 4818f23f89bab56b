package io.tessera.events.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;

public record TenantQuotasChanged(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("quotas") TenantQuotas quotas) {}
