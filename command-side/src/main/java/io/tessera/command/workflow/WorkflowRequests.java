package io.tessera.command.workflow;

import io.tessera.command.Validation;
import io.tessera.events.workflow.CreateWorkflowPayload;
import io.tessera.events.workflow.UpdateWorkflowPayload;
import io.tessera.events.workflow.WorkflowStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The workflow commands made from their HTTP bodies and Kafka payloads (published language), validated. */
public final class WorkflowRequests {

    private WorkflowRequests() {}

    public static CreateWorkflow create(String tenantId, CreateWorkflowPayload body) {
        List<String> problems = new ArrayList<>(Validation.problems(Validation.name("name", body.name())));
        Map<String, Object> config = configOf(body.config(), problems);
        Validation.failOn(problems);
        return new CreateWorkflow(tenantId, UUID.randomUUID().toString(), body.name(), config);
    }

    public static UpdateWorkflow update(String tenantId, String id, UpdateWorkflowPayload body) {
        List<String> problems = new ArrayList<>();
        if (body.name() != null) {
            problems.addAll(Validation.problems(Validation.name("name", body.name())));
        }
        WorkflowStatus status = Validation.optionalOneOf(
                "status", body.status(), WorkflowStatus.values(), WorkflowStatus::jsonName, problems);
        Map<String, Object> config = body.config() == null ? null : configOf(body.config(), problems);
        Validation.failOn(problems);
        return new UpdateWorkflow(tenantId, id, body.name(), status, config);
    }

    public static DeleteWorkflow delete(String tenantId, String id) {
        return new DeleteWorkflow(tenantId, id);
    }

    public static Map<String, Object> configOf(Object config, List<String> problems) {
        if (!(config instanceof Map<?, ?> object)) {
            problems.add("config: required, a JSON object");
            return null;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        object.forEach((key, value) -> copy.put(String.valueOf(key), value));
        String tooLarge = Validation.config("config", copy);
        if (tooLarge != null) {
            problems.add(tooLarge);
        }
        return copy;
    }
}
