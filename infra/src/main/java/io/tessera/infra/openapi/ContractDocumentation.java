package io.tessera.infra.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.tessera.infra.security.TesseraSecurityAutoConfiguration;
import io.tessera.infra.web.ErrorCode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;

/**
 * What the contract says of every {@code /api} operation and annotations on the controllers cannot: the
 * failure envelope with each error code at its status, the bearer token (none for the token endpoints), the
 * tenant selectors and the rate-limit headers.
 */
final class ContractDocumentation {

    static final String API_VERSION = "1";
    static final String BEARER = "bearer_jwt";
    static final String ERROR_ENVELOPE = "ErrorEnvelope";
    static final String ENVELOPE = """
            Every answer is one JSON envelope. Success: `{"success": true, "data": ..., "pagination": {...} \
            (lists only), "tenant_id": "acme"}`. Failure, for every 4xx and 5xx: `{"success": false, "error": \
            {"code": "VALIDATION_FAILED", "message": "...", "details": [...]}, "tenant_id": "acme"}`, never a \
            stack trace. A route that does not exist answers 404 NOT_FOUND, with or without a token. The \
            effective tenant is the X-Tenant-ID header, else the tenant_id query parameter, else the subdomain \
            of Host, else the token's tenant_id; naming a tenant the token may not act for is 403 \
            TENANT_FORBIDDEN. JSON names are snake_case; times are ISO-8601 UTC.""";

    private static final String RATE_LIMIT_LIMIT = "X-RateLimit-Limit";
    private static final String RATE_LIMIT_REMAINING = "X-RateLimit-Remaining";
    private static final String RATE_LIMIT_RESET = "X-RateLimit-Reset";
    private static final String RETRY_AFTER = "Retry-After";
    private static final String HEADER_REF = "#/components/headers/";

    /** Codes only a request that changes something can meet. */
    private static final Set<ErrorCode> WRITES_ONLY = EnumSet.of(
            ErrorCode.CONFLICT,
            ErrorCode.PAYLOAD_TOO_LARGE,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            ErrorCode.QUOTA_EXCEEDED,
            ErrorCode.TENANT_SUSPENDED);

    private static final Map<ErrorCode, String> SAMPLE_MESSAGES = sampleMessages();

    private final ApiDescription description;

    ContractDocumentation(ApiDescription description) {
        this.description = description;
    }

    void applyTo(OpenAPI openApi) {
        // Here rather than on the OpenAPI bean: springdoc replaces the schemas with those it generates.
        openApi.getComponents().addSchemas(ERROR_ENVELOPE, errorEnvelope());
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths()
                .forEach((path, item) -> item.readOperationsMap()
                        .forEach((method, operation) -> describe(openApi.getComponents(), path, method, operation)));
    }

    private void describe(Components components, String path, HttpMethod method, Operation operation) {
        boolean bearerFree =
                method == HttpMethod.POST && TesseraSecurityAutoConfiguration.PUBLIC_TOKEN_ENDPOINTS.contains(path);
        if (bearerFree) {
            operation.setSecurity(List.of());
        } else {
            operation.setSecurity(List.of(new SecurityRequirement().addList(BEARER)));
            addTenantSelectors(operation);
            rateLimitHeadersOnSuccess(operation);
        }
        boolean reads = method == HttpMethod.GET || method == HttpMethod.HEAD;
        addFailures(components, operation, reads);
        description.examples().stream()
                .filter(example -> example.method().equalsIgnoreCase(method.name())
                        && example.path().equals(path))
                .forEach(example -> addExample(operation, example));
    }

    private static void addTenantSelectors(Operation operation) {
        addOptional(
                operation,
                "header",
                "X-Tenant-ID",
                "Act for this tenant: the token's tenant_id or one listed in its tenants claim");
        addOptional(operation, "query", "tenant_id", "The tenant, when no X-Tenant-ID header names it");
    }

    private static void addOptional(Operation operation, String in, String name, String description) {
        List<Parameter> present = operation.getParameters() == null ? List.of() : operation.getParameters();
        if (present.stream().noneMatch(p -> in.equals(p.getIn()) && name.equalsIgnoreCase(p.getName()))) {
            operation.addParametersItem(new Parameter()
                    .in(in)
                    .name(name)
                    .required(false)
                    .description(description)
                    .schema(string()));
        }
    }

    private static void rateLimitHeadersOnSuccess(Operation operation) {
        if (operation.getResponses() == null) {
            return;
        }
        operation.getResponses().forEach((status, response) -> {
            if (status.startsWith("2")) {
                withRateLimitHeaders(response);
            }
        });
    }

    private static ApiResponse withRateLimitHeaders(ApiResponse response) {
        return response.addHeaderObject(RATE_LIMIT_LIMIT, new Header().$ref(HEADER_REF + RATE_LIMIT_LIMIT))
                .addHeaderObject(RATE_LIMIT_REMAINING, new Header().$ref(HEADER_REF + RATE_LIMIT_REMAINING))
                .addHeaderObject(RATE_LIMIT_RESET, new Header().$ref(HEADER_REF + RATE_LIMIT_RESET));
    }

    private static void addFailures(Components components, Operation operation, boolean reads) {
        Map<Integer, List<ErrorCode>> byStatus = new TreeMap<>();
        for (ErrorCode code : ErrorCode.values()) {
            boolean applies = code != ErrorCode.METHOD_NOT_ALLOWED && !(reads && WRITES_ONLY.contains(code));
            if (applies) {
                byStatus.computeIfAbsent(code.status().value(), s -> new ArrayList<>())
                        .add(code);
            }
        }
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        byStatus.forEach((status, codes) -> {
            String name = String.join("_or_", codes.stream().map(Enum::name).toList());
            components.addResponses(name, failure(codes));
            responses.addApiResponse(String.valueOf(status), new ApiResponse().$ref("#/components/responses/" + name));
        });
        operation.setResponses(responses);
    }

    private static ApiResponse failure(List<ErrorCode> codes) {
        MediaType json = new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR_ENVELOPE));
        for (ErrorCode code : codes) {
            json.addExamples(code.name(), new Example().summary(code.name()).value(failureBody(code)));
        }
        ApiResponse response = new ApiResponse()
                .description(String.join(" or ", codes.stream().map(Enum::name).toList()))
                .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE, json));
        int status = codes.get(0).status().value();
        if (status == 429 || status == 503) {
            response.addHeaderObject(RETRY_AFTER, new Header().$ref(HEADER_REF + RETRY_AFTER));
        }
        return status == 401 ? response : withRateLimitHeaders(response);
    }

    private static Map<String, Object> failureBody(ErrorCode code) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code.name());
        error.put("message", SAMPLE_MESSAGES.get(code));
        error.put("details", code == ErrorCode.VALIDATION_FAILED ? List.of("project_name: required") : List.of());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", error);
        body.put("tenant_id", code == ErrorCode.UNAUTHENTICATED ? null : "acme");
        return body;
    }

    private static void addExample(Operation operation, ApiDescription.RouteExample example) {
        ApiResponses responses = operation.getResponses();
        if (example.status() != 0 && responses != null && responses.containsKey("200")) {
            ApiResponse success = responses.remove("200");
            responses.addApiResponse(
                    String.valueOf(example.status()),
                    success.description(HttpStatus.valueOf(example.status()).getReasonPhrase()));
        }
        if (example.request() != null && operation.getRequestBody() != null) {
            Object body = parse(example.request());
            operation.getRequestBody().getContent().forEach((type, media) -> {
                if (type.contains("json")) {
                    media.setExample(body);
                }
            });
        }
        if (example.response() != null && operation.getResponses() != null) {
            Object body = parse(example.response());
            operation.getResponses().forEach((status, response) -> {
                if (status.startsWith("2") && response.getContent() != null) {
                    response.getContent().values().forEach(media -> media.setExample(body));
                }
            });
        }
    }

    private static Object parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("An OpenAPI example is not JSON: " + json, e);
        }
    }

    static Schema<Object> errorEnvelope() {
        Schema<Object> error = object().addProperty(
                        "code",
                        string().description("Stable; one status per code")
                                ._enum(Arrays.stream(ErrorCode.values())
                                        .map(Enum::name)
                                        .toList()))
                .addProperty("message", string().description("For people; never names another tenant's data"))
                .addProperty("details", typed("array").items(string()).description("One line per problem"))
                .required(List.of("code", "message"));
        return object().description("The answer to every failed request (4xx, 5xx)")
                .addProperty("success", typed("boolean")._const(false))
                .addProperty("error", error)
                .addProperty(
                        "tenant_id",
                        typed("string", "null").description("The effective tenant, null before one is known"))
                .required(List.of("success", "error", "tenant_id"));
    }

    static Map<String, Header> headers() {
        Map<String, String> descriptions = new LinkedHashMap<>();
        descriptions.put(RATE_LIMIT_LIMIT, "Requests a tenant may make per minute");
        descriptions.put(RATE_LIMIT_REMAINING, "Requests left in the current window");
        descriptions.put(RATE_LIMIT_RESET, "When the window resets, epoch seconds");
        descriptions.put(RETRY_AFTER, "Seconds to wait before retrying");
        Map<String, Header> headers = new LinkedHashMap<>();
        descriptions.forEach((name, description) ->
                headers.put(name, new Header().description(description).schema(typed("integer"))));
        return headers;
    }

    private static Schema<Object> object() {
        return typed("object");
    }

    private static Schema<Object> string() {
        return typed("string");
    }

    @SuppressWarnings("unchecked")
    private static Schema<Object> typed(String... types) {
        Schema<Object> schema = new Schema<>().specVersion(SpecVersion.V31);
        schema.setTypes(new LinkedHashSet<>(List.of(types)));
        return schema;
    }

    private static Map<ErrorCode, String> sampleMessages() {
        Map<ErrorCode, String> messages = new EnumMap<>(ErrorCode.class);
        messages.put(ErrorCode.UNAUTHENTICATED, "A valid bearer token is required");
        messages.put(ErrorCode.FORBIDDEN, "Your roles do not allow this");
        messages.put(ErrorCode.TENANT_FORBIDDEN, "You may not act for this tenant");
        messages.put(ErrorCode.TENANT_SUSPENDED, "The tenant is suspended");
        messages.put(ErrorCode.NOT_FOUND, "Not found");
        messages.put(ErrorCode.METHOD_NOT_ALLOWED, "The method is not allowed here");
        messages.put(ErrorCode.CONFLICT, "Illegal status transition");
        messages.put(ErrorCode.VALIDATION_FAILED, "The request is not valid");
        messages.put(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large");
        messages.put(ErrorCode.IDEMPOTENCY_KEY_REUSED, "The idempotency key was used for another request");
        messages.put(ErrorCode.NOT_ACCEPTABLE, "No acceptable representation");
        messages.put(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The content type is not supported");
        messages.put(ErrorCode.QUOTA_EXCEEDED, "Hourly quota exceeded");
        messages.put(ErrorCode.RATE_LIMITED, "Too many requests");
        messages.put(ErrorCode.UNAVAILABLE, "Try again later");
        messages.put(ErrorCode.INTERNAL, "Internal error");
        return messages;
    }
}
