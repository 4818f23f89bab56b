package io.tessera.command.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.command.Validation;
import io.tessera.events.workflow.CreateWorkflow;
import io.tessera.events.workflow.DeleteWorkflow;
import io.tessera.events.workflow.UpdateWorkflow;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.infra.web.ApiException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request bodies of the workflow endpoints (also the Kafka payloads) and their commands. */
public final class WorkflowRequests {

    public record Create(
            @JsonProperty("name") String name,
            @JsonProperty("config") Object config) {}

    public record Update(
            @JsonProperty("name") String name,
            @JsonProperty("status") String status,
            @JsonProperty("config") Object config) {}

    private WorkflowRequests() {}

    public static CreateWorkflow create(String tenantId, Create body) {
        List<String> problems = new ArrayList<>(Validation.problems(Validation.name("name", body.name())));
        Map<String, Object> config = configOf(body.config(), problems);
        failOn(problems);
        return new CreateWorkflow(tenantId, UUID.randomUUID().toString(), body.name(), config);
    }

    public static UpdateWorkflow update(String tenantId, String id, Update body) {
        List<String> problems = new ArrayList<>();
        if (body.name() != null) {
            problems.addAll(Validation.problems(Validation.name("name", body.name())));
        }
        WorkflowStatus status = null;
        if (body.status() != null) {
            status = Arrays.stream(WorkflowStatus.values())
                    .filter(s -> s.jsonName().equals(body.status()))
                    .findFirst()
                    .orElse(null);
            if (status == null) {
                problems.add("status: one of draft, active, paused, archived");
            }
        }
        Map<String, Object> config = body.config() == null ? null : configOf(body.config(), problems);
        failOn(problems);
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

    private static void failOn(List<String> problems) {
        if (!problems.isEmpty()) {
            throw ApiException.validation("The request is not valid", problems);
        }
    }
}
