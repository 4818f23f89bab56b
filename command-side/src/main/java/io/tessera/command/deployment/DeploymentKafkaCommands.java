package io.tessera.command.deployment;

import io.tessera.command.intake.KafkaCommandType;
import io.tessera.command.intake.KafkaCommandType.Decoded;
import io.tessera.command.intake.KafkaCommands;
import io.tessera.events.deployment.CreateDeploymentPayload;
import io.tessera.events.deployment.UpdateDeploymentPayload;
import java.util.List;
import org.springframework.stereotype.Component;

/** The deployment commands as they arrive on {@code tessera.commands}, made as the HTTP routes make them. */
@Component
public class DeploymentKafkaCommands implements KafkaCommands {

    @Override
    public List<KafkaCommandType> types() {
        return List.of(
                new KafkaCommandType("CreateDeployment", Deployment.RESOURCE, (tenantId, payload) -> {
                    CreateDeployment command =
                            DeploymentRequests.create(tenantId, payload.as(CreateDeploymentPayload.class));
                    return new Decoded(command.deploymentId(), command);
                }),
                new KafkaCommandType(
                        "UpdateDeployment",
                        Deployment.RESOURCE,
                        (tenantId, payload) -> new Decoded(
                                payload.id(),
                                DeploymentRequests.update(
                                        tenantId, payload.id(), payload.as(UpdateDeploymentPayload.class)))),
                new KafkaCommandType(
                        "DeleteDeployment",
                        Deployment.RESOURCE,
                        (tenantId, payload) ->
                                new Decoded(payload.id(), DeploymentRequests.delete(tenantId, payload.id()))));
    }
}
