package io.tessera.events.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;

public record WorkflowDeleted(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("workflow_id") String workflowId,
        @JsonProperty("last_status") WorkflowStatus lastStatus)
        implements WorkflowEvent {}
