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
        @JsonProperty("quotas") QuotaUsage quotas,
        @JsonProperty("updated_at") Instant updatedAt) {

    record Counts(
            @JsonProperty("total") long total,
            @JsonProperty("by_status") Map<String, Long> byStatus) {}

    /** Creations in the last hour against the hourly limits (a limit is null where the tenant has none recorded). */
    record QuotaUsage(
            @JsonProperty("deployments_per_hour") Usage deploymentsPerHour,
            @JsonProperty("workflows_per_hour") Usage workflowsPerHour) {}

    record Usage(
            @JsonProperty("used") long used,
            @JsonProperty("limit") Integer limit) {}

    record UserCounts(
            @JsonProperty("total") long total,
            @JsonProperty("by_role") Map<String, Long> byRole) {}
}
