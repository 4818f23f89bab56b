package io.tessera.events.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The tenant counted one creation against its rolling-hour quota. Recorded in the tenant's own stream,
 * atomically with the created resource's first event, so that quotas hold exactly under concurrency.
 */
public record CreationQuotaConsumed(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("resource") QuotaResource resource,
        @JsonProperty("resource_id") String resourceId) {}
