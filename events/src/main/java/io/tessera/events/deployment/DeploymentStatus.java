package io.tessera.events.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum DeploymentStatus {
    @JsonProperty("pending")
    PENDING,
    @JsonProperty("building")
    BUILDING,
    @JsonProperty("active")
    ACTIVE,
    @JsonProperty("failed")
    FAILED,
    @JsonProperty("cancelled")
    CANCELLED;

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
