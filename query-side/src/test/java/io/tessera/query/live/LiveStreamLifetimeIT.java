package io.tessera.query.live;

import static io.tessera.query.TestEvents.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.tenant.TenantOffboarded;
import io.tessera.events.user.Role;
import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.QuerySideTestBase;
import io.tessera.query.TestEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/stream} is no way around the token's lifetime or the tenant's offboarding: a stream ends when
 * its token expires and when its tenant is offboarded (whose tokens are refused from then on), and one token holds
 * at most {@code tessera.live.max-streams-per-token} streams, whatever the tenant's limit.
 */
@QuerySideIntegrationTest
@TestPropertySource(
        properties = {"tessera.live.max-streams-per-token=3", "tessera.rate-limit.requests-per-minute=100000"})
class LiveStreamLifetimeIT extends QuerySideTestBase {

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Stream<String>> open = new ArrayList<>();

    @AfterEach
    void closeStreams() {
        open.forEach(Stream::close);
    }

    @Test
    void aStreamEndsWhenItsTokenExpires() throws Exception {
        String tenant = TestEvents.newTenant();
        String shortLived = TestEvents.TOKENS.issue(
                "short-lived", tenant, Set.of(Role.VIEWER), Set.of(), false, Duration.ofSeconds(3));
        Listener stream = listen(shortLived, tenant);
        assertThat(stream.statusCode).isEqualTo(200);

        await().atMost(PATIENCE).until(() -> stream.ended.getCount() == 0);
        assertThat(stream.lines).anyMatch(line -> line.startsWith("event:ready"));
    }

    @Test
    void aFourthStreamOfOneTokenIsRefusedAndAnotherTokenStillOpensOne() throws Exception {
        String tenant = TestEvents.newTenant();
        String token = TestEvents.token(tenant, Role.VIEWER);
        for (int i = 0; i < 3; i++) {
            assertThat(listen(token, tenant).statusCode).isEqualTo(200);
        }

        HttpResponse<String> fourth = http.send(streamRequest(token, tenant), HttpResponse.BodyHandlers.ofString());
        assertThat(fourth.statusCode()).isEqualTo(429);
        JsonNode body = TestEvents.JSON.readTree(fourth.body());
        assertThat(body.path("success").asBoolean(true)).isFalse();
        assertThat(body.at("/error/code").asString()).isEqualTo("RATE_LIMITED");
        assertThat(fourth.headers().firstValue("Retry-After")).isPresent();

        assertThat(listen(TestEvents.token(tenant, Role.VIEWER), tenant).statusCode)
                .isEqualTo(200);
    }

    @Test
    void offboardingEndsTheTenantsStreamsAndRefusesItsTokens() throws Exception {
        String tenant = TestEvents.newTenant();
        String token = TestEvents.token(tenant, Role.VIEWER);
        Listener stream = listen(token, tenant);
        assertThat(stream.statusCode).isEqualTo(200);
        // The live feed reads from the end: once it shows an event, it sees the ones after it too.
        await().atMost(PATIENCE).until(() -> {
            kafka.publish(tenant, tenant, 0, Instant.now(), new TenantCreated(tenant, tenant, tenant, null));
            return stream.lines.stream().anyMatch(line -> line.startsWith("event:event"));
        });

        kafka.publish(tenant, tenant, 1, Instant.now(), new TenantOffboarded(tenant));

        await().atMost(PATIENCE).until(() -> stream.ended.getCount() == 0);
        TestEvents.Answer refused = kafka.get(token, "/api/deployments");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body().at("/error/code").asString()).isEqualTo("UNAUTHENTICATED");
        HttpResponse<String> again = http.send(streamRequest(token, tenant), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(401);
    }

    /** A token of one tenant streaming another of its tenants is a token of the first: it ends with it. */
    @Test
    void offboardingTheHomeTenantEndsItsTokensStreamsOfOtherTenants() throws Exception {
        String home = TestEvents.newTenant();
        String other = TestEvents.newTenant();
        String token = TestEvents.token(home, Set.of(other), Role.VIEWER);
        Listener stream = listen(token, other);
        assertThat(stream.statusCode).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> {
            kafka.publish(other, other, 0, Instant.now(), new TenantCreated(other, other, other, null));
            return stream.lines.stream().anyMatch(line -> line.startsWith("event:event"));
        });

        kafka.publish(home, home, 0, Instant.now(), new TenantOffboarded(home));

        await().atMost(PATIENCE).until(() -> stream.ended.getCount() == 0);
        HttpResponse<String> again = http.send(streamRequest(token, other), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(401);
    }

    private HttpRequest streamRequest(String token, String tenant) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/stream"))
                .header("Authorization", "Bearer " + token)
                .header("X-Tenant-ID", tenant)
                .header("Accept", "text/event-stream")
                .build();
    }

    /** An open stream, read on a thread of its own until the server ends it. */
    private static final class Listener {
        final int statusCode;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);

        Listener(int statusCode) {
            this.statusCode = statusCode;
        }
    }

    private Listener listen(String token, String tenant) throws Exception {
        HttpResponse<Stream<String>> response =
                http.send(streamRequest(token, tenant), HttpResponse.BodyHandlers.ofLines());
        Listener listener = new Listener(response.statusCode());
        Stream<String> body = response.body();
        open.add(body);
        Thread reader = new Thread(() -> {
            try {
                body.forEach(line -> listener.lines.add(line.replace(" ", "")));
            } catch (RuntimeException closed) {
                // ended by the test
            } finally {
                listener.ended.countDown();
            }
        });
        reader.setDaemon(true);
        reader.start();
        return listener;
    }
}
