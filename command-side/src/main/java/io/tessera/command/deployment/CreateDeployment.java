package io.tessera.command.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Routed to the tenant, which counts it against its quota and then creates the deployment. */
public record CreateDeployment(
        @JsonProperty("tenant_id") @TargetAggregateIdentifier
        String tenantId,

        @JsonProperty("deployment_id") String deploymentId,
        @JsonProperty("project_name") String projectName,
        @JsonProperty("url") String url) {}
