package io.tessera.query.eventlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentDeleted;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.deployment.DeploymentUrlChanged;
import java.time.Instant;
import java.util.List;

/** A deployment as its events made it; {@code version} is the sequence of the last event applied. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeploymentState(
        @JsonProperty("id") String id,
        @JsonProperty("project_name") String projectName,
        @JsonProperty("status") String status,
        @JsonProperty("url") String url,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt,
        @JsonProperty("deleted") boolean deleted,
        @JsonProperty("version") long version) {

    static DeploymentState asOf(List<TypedEvent> events, Instant asOf) {
        return TypedEvent.foldUntil(events, asOf, DeploymentState::apply);
    }

    static DeploymentState apply(DeploymentState state, TypedEvent event) {
        Object payload = event.payload();
        if (payload instanceof DeploymentCreated created) {
            return new DeploymentState(
                    created.deploymentId(),
                    created.projectName(),
                    created.status().jsonName(),
                    created.url(),
                    event.time(),
                    event.time(),
                    false,
                    event.sequence());
        }
        if (state == null || state.deleted()) {
            return state;
        }
        if (payload instanceof DeploymentStatusChanged changed) {
            return state.changed(changed.to().jsonName(), state.url, false, event);
        }
        if (payload instanceof DeploymentUrlChanged changed) {
            return state.changed(state.status, changed.url(), false, event);
        }
        if (payload instanceof DeploymentDeleted) {
            return state.changed(state.status, state.url, true, event);
        }
        return state;
    }

    private DeploymentState changed(String status, String url, boolean deleted, TypedEvent event) {
        return new DeploymentState(id, projectName, status, url, createdAt, event.time(), deleted, event.sequence());
    }
}
