package io.tessera.events.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

public record WorkflowConfigChanged(
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("workflow_id") String workflowId,
        @JsonProperty("config") Map<String, Object> config)
        implements WorkflowEvent {}
