package io.tessera.events.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum WorkflowStatus {
    @JsonProperty("draft")
    DRAFT,
    @JsonProperty("active")
    ACTIVE,
    @JsonProperty("paused")
    PAUSED,
    @JsonProperty("archived")
    ARCHIVED;

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
