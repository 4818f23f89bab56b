package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.events.EventCatalog;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.user.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/stream} over raw HTTP against the running system: a tenant's stream carries a notice of each of
 * its events (type, subject, position; no payload) and nothing of another tenant's, and the stream needs the
 * same token and tenant checks as every {@code /api} call.
 */
class LiveStreamIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String A = "live-a-" + RUN;
    private static final String B = "live-b-" + RUN;

    private static SecurityFixture system;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Stream<String>> open = new ArrayList<>();

    @BeforeAll
    static void start(@TempDir Path home) {
        system = SecurityFixture.start(home);
        String platform = system.token("live-setup", "live-setup", List.of(), true);
        for (String tenant : List.of(A, B)) {
            SecurityFixture.acceptedId(system.command(
                    "POST", "/api/tenants", platform, Map.of("id", tenant, "name", tenant, "slug", tenant)));
        }
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aTenantsStreamCarriesItsEventsAndNothingOfAnotherTenant() throws Exception {
        BlockingQueue<String> streamA = listen(system.token(A, Role.VIEWER), A);
        BlockingQueue<String> streamB = listen(system.token(B, Role.VIEWER), B);
        assertThat(nextData(streamA, "ready")).contains("\"tenant_id\":\"" + A + "\"");
        assertThat(nextData(streamB, "ready")).contains("\"tenant_id\":\"" + B + "\"");

        String secret = "secret-project-" + RUN;
        String inA = SecurityFixture.acceptedId(system.command(
                "POST", "/api/deployments", system.token(A, Role.EDITOR), Map.of("project_name", secret)));
        // The creation's quota bookkeeping on the tenant comes first, then the deployment's own event.
        JsonNode notice;
        do {
            notice = SecurityFixture.JSON.readTree(nextData(streamA, "event"));
            assertThat(notice.toString()).doesNotContain(secret);
        } while (!notice.path("type").asString().equals(EventCatalog.typeOf(DeploymentCreated.class)));
        assertThat(notice.path("subject").asString()).isEqualTo(inA);
        assertThat(notice.path("position").asLong()).isPositive();
        assertThat(notice.toString()).doesNotContain(secret);

        // B's own event comes after A's on the same topic: everything B saw before it is B's.
        String inB = SecurityFixture.acceptedId(system.command(
                "POST", "/api/deployments", system.token(B, Role.EDITOR), Map.of("project_name", "b-" + RUN)));
        List<String> seenByB = new ArrayList<>();
        String data;
        do {
            data = nextData(streamB, "event");
            seenByB.add(data);
        } while (!data.contains(inB));
        assertThat(String.join("\n", seenByB))
                .doesNotContain(inA)
                .doesNotContain(A)
                .doesNotContain(secret);
    }

    @Test
    void theStreamIsRefusedLikeAnyApiCall() {
        assertThat(system.stream(system.querySide, "/api/stream", null).errorCode())
                .isEqualTo("UNAUTHENTICATED");
        assertThat(system.stream(system.querySide, "/api/stream", system.token(A, Role.VIEWER), "X-Tenant-ID", B)
                        .errorCode())
                .isEqualTo("TENANT_FORBIDDEN");
        SecurityFixture.Answer auditor = system.stream(system.querySide, "/api/stream", system.token(A, Role.AUDITOR));
        assertThat(auditor.status()).isEqualTo(403);
        assertThat(auditor.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(auditor.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    }

    @AfterEach
    void closeStreams() {
        open.forEach(Stream::close);
    }

    /** The lines of an open stream, read on a thread of their own. */
    private BlockingQueue<String> listen(String token, String tenant) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(system.querySide + "/api/stream"))
                .header("Authorization", "Bearer " + token)
                .header("X-Tenant-ID", tenant)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Stream<String> body = response.body();
        open.add(body);
        Thread reader = new Thread(() -> {
            try {
                body.forEach(lines::add);
            } catch (RuntimeException closed) {
                // the test closed the stream
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** The data of the next event with that name. */
    private static String nextData(BlockingQueue<String> lines, String eventName) throws InterruptedException {
        String name = null;
        while (true) {
            String line = lines.poll(60, TimeUnit.SECONDS);
            assertThat(line).as("a line of the stream within a minute").isNotNull();
            if (line.startsWith("event:")) {
                name = line.substring("event:".length()).trim();
            } else if (line.startsWith("data:") && eventName.equals(name)) {
                return line.substring("data:".length()).trim();
            } else if (line.isEmpty()) {
                name = null;
            }
        }
    }
}
