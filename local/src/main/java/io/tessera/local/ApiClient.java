package io.tessera.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small JSON-over-HTTP client for the Tessera API, bearer token in hand. */
final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Decimals kept as sent (trailing zeros too): an export's data must stay the text the audit chain hashed. */
    private static final JsonMapper DECIMALS_KEPT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final JsonMapper answers;

    ApiClient(String baseUrl) {
        this(baseUrl, JSON);
    }

    private ApiClient(String baseUrl, JsonMapper answers) {
        this.baseUrl = baseUrl;
        this.answers = answers;
    }

    /** A client that reads decimals in answers exactly as sent, for an export the audit chain is checked over. */
    static ApiClient keepingDecimals(String baseUrl) {
        return new ApiClient(baseUrl, DECIMALS_KEPT);
    }

    /** One answer: the status, the envelope and the headers. */
    record Response(int status, JsonNode body, HttpHeaders headers) {

        boolean successful() {
            return status >= 200 && status < 300;
        }

        JsonNode data() {
            return body.path("data");
        }

        String errorCode() {
            return body.path("error").path("code").asString("");
        }

        String describe() {
            String code = errorCode();
            return "HTTP " + status
                    + (code.isEmpty()
                            ? ""
                            : " " + code + ": "
                                    + body.path("error").path("message").asString(""));
        }
    }

    Response get(String path, String token, String... headerPairs) {
        return send("GET", path, token, null, headerPairs);
    }

    /** {@code headerPairs}: name, value, name, value, ... */
    Response send(String method, String path, String token, Object body, String... headerPairs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token);
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            request.header(headerPairs[i], headerPairs[i + 1]);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), parse(answers, response.body()), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + baseUrl + path + " was interrupted", e);
        }
    }

    private static JsonNode parse(JsonMapper answers, String body) {
        try {
            return body.isBlank() ? answers.missingNode() : answers.readTree(body);
        } catch (JacksonException notJson) {
            return answers.missingNode();
        }
    }
}
