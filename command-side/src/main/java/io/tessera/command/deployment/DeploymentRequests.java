package io.tessera.command.deployment;

import io.tessera.command.Validation;
import io.tessera.events.deployment.CreateDeploymentPayload;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.deployment.UpdateDeploymentPayload;
import io.tessera.infra.web.ApiException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The deployment commands made from their HTTP bodies and Kafka payloads (published language), validated. */
public final class DeploymentRequests {

    private DeploymentRequests() {}

    public static CreateDeployment create(String tenantId, CreateDeploymentPayload body) {
        List<String> problems = Validation.problems(
                Validation.name("project_name", body.projectName()), Validation.optionalUrl("url", body.url()));
        failOn(problems);
        return new CreateDeployment(tenantId, UUID.randomUUID().toString(), body.projectName(), body.url());
    }

    public static UpdateDeployment update(String tenantId, String id, UpdateDeploymentPayload body) {
        List<String> problems = new ArrayList<>(Validation.problems(Validation.optionalUrl("url", body.url())));
        DeploymentStatus status = null;
        if (body.status() != null) {
            status = Arrays.stream(DeploymentStatus.values())
                    .filter(s -> s.jsonName().equals(body.status()))
                    .findFirst()
                    .orElse(null);
            if (status == null) {
                problems.add("status: one of pending, building, active, failed, cancelled");
            }
        }
        failOn(problems);
        return new UpdateDeployment(tenantId, id, status, body.url());
    }

    public static DeleteDeployment delete(String tenantId, String id) {
        return new DeleteDeployment(tenantId, id);
    }

    private static void failOn(List<String> problems) {
        if (!problems.isEmpty()) {
            throw ApiException.validation("The request is not valid", problems);
        }
    }
}
