package io.tessera.benchmarks.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The HTTP client every scenario shares: HTTP/1.1 on loopback, bearer tokens, JSON bodies. */
public final class Api {

    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern POSITION = Pattern.compile("\"position\":(\\d+)");
    private static final Pattern CURSOR = Pattern.compile("\"cursor\":\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        return send(request(url, token).GET().build());
    }

    public HttpResponse<String> getAtLeast(String url, String token, long position)
            throws IOException, InterruptedException {
        return send(request(url, token)
                .header("X-Min-Position", Long.toString(position))
                .GET()
                .build());
    }

    public HttpResponse<String> post(String url, String token, String json) throws IOException, InterruptedException {
        return send(request(url, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    public HttpResponse<String> put(String url, String token, String json) throws IOException, InterruptedException {
        return send(request(url, token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    public HttpResponse<String> patch(String url, String token, String json) throws IOException, InterruptedException {
        return send(request(url, token)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private static HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public static Optional<String> id(String body) {
        return first(ID, body);
    }

    public static Optional<String> cursor(String body) {
        return first(CURSOR, body);
    }

    public static Optional<Long> position(String body) {
        return first(POSITION, body).map(Long::valueOf);
    }

    private static Optional<String> first(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
