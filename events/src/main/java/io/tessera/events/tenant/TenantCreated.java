package io.tessera.events.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;

public record TenantCreated(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("name") String name,
        @JsonProperty("slug") String slug,
        @JsonProperty("quotas") TenantQuotas quotas) {}
