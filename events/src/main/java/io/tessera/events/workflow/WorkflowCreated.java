package io.tessera.events.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

public record WorkflowCreated(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("workflow_id") String workflowId,
        @JsonProperty("name") String name,
        @JsonProperty("config") Map<String, Object> config,
        @JsonProperty("status") WorkflowStatus status)
        implements WorkflowEvent {}
