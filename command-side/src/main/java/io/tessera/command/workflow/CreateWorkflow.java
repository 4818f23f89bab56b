package io.tessera.command.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Routed to the tenant, which counts it against its quota and then creates the workflow. */
public record CreateWorkflow(
        @JsonProperty("tenant_id") @TargetAggregateIdentifier
        String tenantId,

        @JsonProperty("workflow_id") String workflowId,
        @JsonProperty("name") String name,
        @JsonProperty("config") Map<String, Object> config) {}
