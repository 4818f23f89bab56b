package io.tessera.command.intake;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.events.intake.CommandResult;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ApiResponse;
import io.tessera.infra.web.ErrorCode;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** The answer to one command, the same for its first run and every retry with the same key. */
public record CommandOutcome(
        String commandId,
        String tenantId,
        boolean accepted,
        String id,
        Long position,
        ErrorCode code,
        String message,
        Duration retryAfter) {

    /** The {@code data} of a 202. */
    public record Accepted(
            @JsonProperty("id") String id,
            @JsonProperty("command_id") String commandId,
            @JsonProperty("position") Long position) {}

    static CommandOutcome accepted(CommandRequest request, Long position) {
        return new CommandOutcome(
                request.commandId(), request.tenantId(), true, request.resourceId(), position, null, null, null);
    }

    /** This acceptance at its event's global position. */
    CommandOutcome at(Long eventPosition) {
        return new CommandOutcome(commandId, tenantId, accepted, id, eventPosition, code, message, retryAfter);
    }

    static CommandOutcome rejected(CommandRequest request, ErrorCode code, String message, Duration retryAfter) {
        return new CommandOutcome(
                request.commandId(), request.tenantId(), false, null, null, code, message, retryAfter);
    }

    /** A rejection the executor decided, and audited with its answer. */
    public static final class Rejection extends ApiException {

        Rejection(ErrorCode code, String message, Duration retryAfter) {
            super(code, message, List.of(), retryAfter);
        }
    }

    /** 202 with the envelope, or the rejection as the envelope's error. */
    public ResponseEntity<ApiResponse<Accepted>> toResponse(String envelopeTenant) {
        if (!accepted) {
            throw new Rejection(code, message, retryAfter);
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(ApiResponse.ok(new Accepted(id, commandId, position), envelopeTenant));
    }

    public CommandResult toResult() {
        return accepted
                ? CommandResult.accepted(commandId, tenantId, id, position == null ? 0L : position)
                : CommandResult.rejected(commandId, tenantId, code.name(), message);
    }
}
