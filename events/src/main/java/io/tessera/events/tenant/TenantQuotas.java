package io.tessera.events.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Creations allowed per rolling hour. */
public record TenantQuotas(
        @JsonProperty("deployments_per_hour") int deploymentsPerHour,
        @JsonProperty("workflows_per_hour") int workflowsPerHour) {

    public static final TenantQuotas DEFAULT = new TenantQuotas(100, 50);
}
