package io.tessera.command.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.events.workflow.WorkflowStatus;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Any field may be null: null means unchanged. */
public record UpdateWorkflow(
        @JsonProperty("tenant_id") String tenantId,

        @JsonProperty("workflow_id") @TargetAggregateIdentifier
        String workflowId,

        @JsonProperty("name") String name,
        @JsonProperty("status") WorkflowStatus status,
        @JsonProperty("config") Map<String, Object> config) {}
