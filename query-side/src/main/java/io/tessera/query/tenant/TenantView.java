package io.tessera.query.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

@JsonInclude(JsonInclude.Include.ALWAYS)
record TenantView(
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("slug") String slug,
        @JsonProperty("status") String status,
        @JsonProperty("quotas") Quotas quotas,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    record Quotas(
            @JsonProperty("deployments_per_hour") Integer deploymentsPerHour,
            @JsonProperty("workflows_per_hour") Integer workflowsPerHour) {}
}
