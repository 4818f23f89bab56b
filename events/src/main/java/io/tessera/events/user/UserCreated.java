package io.tessera.events.user;

import com.fasterxml.jackson.annotation.JsonProperty;

public record UserCreated(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("user_id") String userId,
        @JsonProperty("email") String email,
        @JsonProperty("role") Role role) {}
