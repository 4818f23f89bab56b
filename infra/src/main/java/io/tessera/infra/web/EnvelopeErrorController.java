package io.tessera.infra.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside any controller (the servlet container's own {@code sendError}s) answer in the
 * envelope too, never with a container's HTML page or Boot's default JSON.
 */
@RestController
public class EnvelopeErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ApiResponse<Void>> error(HttpServletRequest request) {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // No status: nothing failed, someone asked for the error path itself, which is no route.
        HttpStatus status = statusAttribute instanceof Integer code ? HttpStatus.resolve(code) : HttpStatus.NOT_FOUND;
        ErrorCode code = codeFor(status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status);
        String message = code == ErrorCode.INTERNAL
                ? "Internal error"
                : code == ErrorCode.NOT_FOUND ? "Not found" : "The request could not be served";
        return ResponseEntity.status(code.status())
                .contentType(MediaType.APPLICATION_JSON)
                .body(ApiResponse.failure(code, message, List.of(), null));
    }

    static ErrorCode codeFor(HttpStatus status) {
        List<ErrorCode> matching = Arrays.stream(ErrorCode.values())
                .filter(code -> code.status() == status)
                .toList();
        if (!matching.isEmpty()) {
            return matching.get(0);
        }
        return status.is4xxClientError() ? ErrorCode.VALIDATION_FAILED : ErrorCode.INTERNAL;
    }
}
