package io.tessera.command.deployment;

import io.tessera.command.Validation;
import io.tessera.events.deployment.CreateDeploymentPayload;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.deployment.UpdateDeploymentPayload;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The deployment commands made from their HTTP bodies and Kafka payloads (published language), validated. */
public final class DeploymentRequests {

    private DeploymentRequests() {}

    public static CreateDeployment create(String tenantId, CreateDeploymentPayload body) {
        List<String> problems = Validation.problems(
                Validation.name("project_name", body.projectName()), Validation.optionalUrl("url", body.url()));
        Validation.failOn(problems);
        return new CreateDeployment(tenantId, UUID.randomUUID().toString(), body.projectName(), body.url());
    }

    public static UpdateDeployment update(String tenantId, String id, UpdateDeploymentPayload body) {
        List<String> problems = new ArrayList<>(Validation.problems(Validation.optionalUrl("url", body.url())));
        DeploymentStatus status = Validation.optionalOneOf(
                "status", body.status(), DeploymentStatus.values(), DeploymentStatus::jsonName, problems);
        Validation.failOn(problems);
        return new UpdateDeployment(tenantId, id, status, body.url());
    }

    public static DeleteDeployment delete(String tenantId, String id) {
        return new DeleteDeployment(tenantId, id);
    }
}
