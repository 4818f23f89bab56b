package io.tessera.events.user;

import com.fasterxml.jackson.annotation.JsonProperty;

public record UserDeleted(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("user_id") String userId) {}
