package io.tessera.query.eventlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.events.workflow.WorkflowConfigChanged;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowDeleted;
import io.tessera.events.workflow.WorkflowRenamed;
import io.tessera.events.workflow.WorkflowStatusChanged;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A workflow as its events made it; {@code version} is the sequence of the last event applied. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WorkflowState(
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("status") String status,
        @JsonProperty("config") Map<String, Object> config,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt,
        @JsonProperty("deleted") boolean deleted,
        @JsonProperty("version") long version) {

    static WorkflowState asOf(List<TypedEvent> events, Instant asOf) {
        return TypedEvent.foldUntil(events, asOf, WorkflowState::apply);
    }

    static WorkflowState apply(WorkflowState state, TypedEvent event) {
        Object payload = event.payload();
        if (payload instanceof WorkflowCreated created) {
            return new WorkflowState(
                    created.workflowId(),
                    created.name(),
                    created.status().jsonName(),
                    configOf(created.config()),
                    event.time(),
                    event.time(),
                    false,
                    event.sequence());
        }
        if (state == null || state.deleted()) {
            return state;
        }
        if (payload instanceof WorkflowRenamed renamed) {
            return state.changed(renamed.name(), state.status, state.config, false, event);
        }
        if (payload instanceof WorkflowStatusChanged changed) {
            return state.changed(state.name, changed.to().jsonName(), state.config, false, event);
        }
        if (payload instanceof WorkflowConfigChanged changed) {
            return state.changed(state.name, state.status, configOf(changed.config()), false, event);
        }
        if (payload instanceof WorkflowDeleted) {
            return state.changed(state.name, state.status, state.config, true, event);
        }
        return state;
    }

    private WorkflowState changed(
            String name, String status, Map<String, Object> config, boolean deleted, TypedEvent event) {
        return new WorkflowState(id, name, status, config, createdAt, event.time(), deleted, event.sequence());
    }

    private static Map<String, Object> configOf(Map<String, Object> config) {
        return config == null ? Map.of() : config;
    }
}
