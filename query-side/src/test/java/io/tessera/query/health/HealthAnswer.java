package io.tessera.query.health;

import io.tessera.query.TestEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** An answer of the actuator: HTTP status, body, and the status of each component it shows. */
record HealthAnswer(int status, String body, Map<String, String> components) {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static HealthAnswer of(int port, String path) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, String> components = new LinkedHashMap<>();
            if (response.body().startsWith("{")) {
                JsonNode shown = TestEvents.JSON.readTree(response.body()).path("components");
                shown.properties()
                        .forEach(c -> components.put(
                                c.getKey(), c.getValue().path("status").asString()));
            }
            return new HealthAnswer(response.statusCode(), response.body(), components);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
