package io.tessera.events.deployment;

/** What every event of a deployment says: its tenant and the deployment it changes. */
public sealed interface DeploymentEvent
        permits DeploymentCreated, DeploymentStatusChanged, DeploymentUrlChanged, DeploymentDeleted {

    String tenantId();

    String deploymentId();
}
