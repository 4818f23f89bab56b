package io.tessera.events.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;

public record WorkflowStatusChanged(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("workflow_id") String workflowId,
        @JsonProperty("from") WorkflowStatus from,
        @JsonProperty("to") WorkflowStatus to)
        implements WorkflowEvent {}
