package io.tessera.infra.web;

import java.time.Duration;
import java.util.List;

/**
 * A failure the client is meant to see. The message goes to the client as it is, so it must be generic:
 * no SQL, no foreign tenant id, no internals.
 */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final List<String> details;
    private final Duration retryAfter;

    public ApiException(ErrorCode code, String message) {
        this(code, message, List.of(), null);
    }

    public ApiException(ErrorCode code, String message, List<String> details, Duration retryAfter) {
        super(message, null, false, false);
        this.code = code;
        this.details = List.copyOf(details);
        this.retryAfter = retryAfter;
    }

    public static ApiException notFound(String what) {
        return new ApiException(ErrorCode.NOT_FOUND, what + " not found");
    }

    public static ApiException validation(String message, List<String> details) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, message, details, null);
    }

    public static ApiException validation(String detail) {
        return validation("The request is not valid", List.of(detail));
    }

    public ErrorCode code() {
        return code;
    }

    public List<String> details() {
        return details;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
