package io.tessera.infra.web;

import io.tessera.infra.tenancy.RequestTenant;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Maps every failure to the envelope; details go to the log with the tenant, never to the client. */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiResponse<Void>> onApiException(ApiException e, HttpServletRequest request) {
        return respond(e.code(), e.getMessage(), e.details(), e, request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiResponse<Void>> onUnreadableBody(HttpMessageNotReadableException e, HttpServletRequest request) {
        log.info("Unreadable request body: {}", e.getMostSpecificCause().getMessage());
        return respond(
                ErrorCode.VALIDATION_FAILED,
                "The request body is not valid JSON of the expected shape",
                List.of(),
                null,
                request);
    }

    @ExceptionHandler({
        MethodArgumentTypeMismatchException.class,
        MissingServletRequestParameterException.class,
        MissingRequestHeaderException.class
    })
    ResponseEntity<ApiResponse<Void>> onBadParameter(Exception e, HttpServletRequest request) {
        String detail = e instanceof MethodArgumentTypeMismatchException m
                ? m.getName() + ": not a valid value"
                : e instanceof MissingServletRequestParameterException p
                        ? p.getParameterName() + ": required"
                        : ((MissingRequestHeaderException) e).getHeaderName() + ": header required";
        return respond(ErrorCode.VALIDATION_FAILED, "The request is not valid", List.of(detail), null, request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiResponse<Void>> onMethod(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return respond(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed", List.of(), null, request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiResponse<Void>> onMediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return respond(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send application/json", List.of(), null, request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiResponse<Void>> onNoResource(NoResourceFoundException e, HttpServletRequest request) {
        return respond(ErrorCode.NOT_FOUND, "Not found", List.of(), null, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiResponse<Void>> onUnexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(ErrorCode.INTERNAL, "Internal error", List.of(), null, request);
    }

    private ResponseEntity<ApiResponse<Void>> respond(
            ErrorCode code, String message, List<String> details, ApiException cause, HttpServletRequest request) {
        String tenantId =
                RequestTenant.current(request).map(RequestTenant::tenantId).orElse(null);
        if (code.status().is5xxServerError()) {
            log.warn(
                    "{} {} answered {} for tenant_id={}", request.getMethod(), request.getRequestURI(), code, tenantId);
        }
        HttpHeaders headers = new HttpHeaders();
        if (cause != null && cause.retryAfter() != null) {
            headers.set(
                    HttpHeaders.RETRY_AFTER,
                    Long.toString(Math.max(1, cause.retryAfter().toSeconds())));
        }
        return ResponseEntity.status(code.status())
                .headers(headers)
                .body(ApiResponse.failure(code, message, details, tenantId));
    }
}
