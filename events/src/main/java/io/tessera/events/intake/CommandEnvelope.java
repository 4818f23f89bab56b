package io.tessera.events.intake;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Set;

/** One record of {@code tessera.commands}; {@code payload} is the HTTP body, plus {@code id} for updates and deletes. */
public record CommandEnvelope(
        @JsonProperty("command_id") String commandId,
        @JsonProperty("type") String type,
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("token") String token,
        @JsonProperty("payload") Map<String, Object> payload) {

    /** Every {@code type} a record may have; anything else is refused. */
    public static final Set<String> TYPES = Set.of(
            "CreateDeployment",
            "UpdateDeployment",
            "DeleteDeployment",
            "CreateWorkflow",
            "UpdateWorkflow",
            "DeleteWorkflow");
}
