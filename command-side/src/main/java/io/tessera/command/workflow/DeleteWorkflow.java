package io.tessera.command.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record DeleteWorkflow(
        @JsonProperty("tenant_id") String tenantId,

        @JsonProperty("workflow_id") @TargetAggregateIdentifier
        String workflowId) {}
