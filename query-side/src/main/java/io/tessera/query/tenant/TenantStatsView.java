package io.tessera.query.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/** Counts kept by the projections; every known status or role is present, zero if none. */
@JsonInclude(JsonInclude.Include.ALWAYS)
record TenantStatsView(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("deployments") Counts deployments,
        @JsonProperty("workflows") Counts workflows,
        @JsonProperty("users") UserCounts users,
        @JsonProperty("updated_at") Instant updatedAt) {

    record Counts(
            @JsonProperty("total") long total,
            @JsonProperty("by_status") Map<String, Long> byStatus) {}

    record UserCounts(
            @JsonProperty("total") long total,
            @JsonProperty("by_role") Map<String, Long> byRole) {}
}
