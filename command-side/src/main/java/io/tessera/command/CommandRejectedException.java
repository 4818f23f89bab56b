package io.tessera.command;

import io.tessera.infra.web.ErrorCode;
import java.time.Duration;

/**
 * A business rejection. Checked on purpose: Axon rolls a unit of work back only on unchecked exceptions,
 * so a rejection leaves the command's transaction committable and its idempotency record is kept.
 */
public class CommandRejectedException extends Exception {

    private final ErrorCode code;
    private final Duration retryAfter;

    public CommandRejectedException(ErrorCode code, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public CommandRejectedException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public static CommandRejectedException notFound(String resource) {
        return new CommandRejectedException(ErrorCode.NOT_FOUND, resource + " not found");
    }

    public static CommandRejectedException conflict(String message) {
        return new CommandRejectedException(ErrorCode.CONFLICT, message);
    }

    public static CommandRejectedException invalid(String message) {
        return new CommandRejectedException(ErrorCode.VALIDATION_FAILED, message);
    }

    public ErrorCode code() {
        return code;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
