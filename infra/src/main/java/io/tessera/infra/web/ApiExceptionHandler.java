package io.tessera.infra.web;

import io.tessera.infra.tenancy.RequestTenant;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Maps every failure to the envelope; details go to the log with the tenant, never to the client. */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<ApiResponse<Void>> onApiException(ApiException e, HttpServletRequest request) {
        return respond(e.code(), e.getMessage(), e.details(), e, request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<ApiResponse<Void>> onUnreadableBody(
            HttpMessageNotReadableException e, HttpServletRequest request) {
        log.info("Unreadable request body: {}", e.getMostSpecificCause().getMessage());
        return respond(
                ErrorCode.VALIDATION_FAILED,
                "The request body is not valid JSON of the expected shape",
                bodyProblems(e.getMostSpecificCause()),
                null,
                request);
    }

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final Pattern DUPLICATE =
            Pattern.compile("Duplicate (?:Object property|field) \"([^\"]*)\".*", Pattern.DOTALL);

    /** The field a body failed on (unknown, given twice, of the wrong type), if it can be named safely. */
    public static List<String> bodyProblems(Throwable cause) {
        if (!(cause instanceof JacksonException jackson)) {
            return List.of();
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return List.of(safe(unknown.getPropertyName()) + ": unknown field");
        }
        Matcher duplicate = DUPLICATE.matcher(String.valueOf(jackson.getOriginalMessage()));
        if (duplicate.matches()) {
            return List.of(safe(duplicate.group(1)) + ": given more than once");
        }
        if (cause instanceof MismatchedInputException) {
            String field = jackson.getPath().stream()
                    .map(JacksonException.Reference::getPropertyName)
                    .filter(name -> name != null)
                    .reduce((first, second) -> second)
                    .orElse(null);
            return field == null ? List.of() : List.of(safe(field) + ": not of the expected type");
        }
        return List.of();
    }

    private static String safe(String field) {
        return field != null && FIELD_NAME.matcher(field).matches() ? field : "(a field)";
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

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiResponse<Void>> onNotAcceptable(
            HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        String offered = e.getSupportedMediaTypes().isEmpty()
                ? "Ask for application/json"
                : "Ask for one of " + MimeTypeUtils.toString(e.getSupportedMediaTypes());
        return respond(ErrorCode.NOT_ACCEPTABLE, offered, List.of(), null, request);
    }

    /** A form body the server cannot decode (a bad %-escape): the client's mistake, answered like bad JSON. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ApiResponse<Void>> onUndecodableForm(InvalidParameterException e, HttpServletRequest request) {
        log.debug("Undecodable form body on {} {}", request.getMethod(), request.getRequestURI());
        return respond(
                ErrorCode.VALIDATION_FAILED,
                "The form body is not valid application/x-www-form-urlencoded",
                List.of(),
                null,
                request);
    }

    /** A route that does not exist, as any scanner asks for: a plain 404, nothing in the log above DEBUG. */
    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<ApiResponse<Void>> onNoRoute(Exception e, HttpServletRequest request) {
        log.debug("No route for {} {}", request.getMethod(), request.getRequestURI());
        return respond(ErrorCode.NOT_FOUND, "Not found", List.of(), null, request);
    }

    /** A client that went away (e.g. a closed dashboard ending its live stream) needs no answer and is no failure. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void onClientGone(AsyncRequestNotUsableException e, HttpServletRequest request) {
        log.debug("Client gone on {} {}", request.getMethod(), request.getRequestURI());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiResponse<Void>> onUnexpected(Exception e, HttpServletRequest request) {
        if (Unavailability.isDatabaseUnavailable(e)) {
            // The database is away (stopped, link cut, pool empty): the client retries; no stack trace per request.
            log.warn("Database unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            ApiException unavailable = Unavailability.exception();
            return respond(unavailable.code(), unavailable.getMessage(), List.of(), unavailable, request);
        }
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
        // Preset, so that no Accept header (XML, HTML, an image) turns an error into a failed negotiation.
        return ResponseEntity.status(code.status())
                .headers(headers)
                .contentType(MediaType.APPLICATION_JSON)
                .body(ApiResponse.failure(code, message, details, tenantId));
    }
}
