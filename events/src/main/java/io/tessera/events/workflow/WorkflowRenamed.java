package io.tessera.events.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;

public record WorkflowRenamed(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("workflow_id") String workflowId,
        @JsonProperty("name") String name)
        implements WorkflowEvent {}
