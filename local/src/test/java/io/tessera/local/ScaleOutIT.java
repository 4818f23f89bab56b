package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.runtime.LocalPostgres;
import io.tessera.local.SecurityFixture.Answer;
import io.tessera.query.QuerySideApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The system scaled out: one command side and two query-side instances on one PostgreSQL and one Kafka,
 * driven over HTTP. An update is visible on both query instances (the window is printed); the rate limit is
 * exact summed over both; a noisy tenant far past its limit changes nothing of a quiet tenant's answers.
 */
class ScaleOutIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String VISIBLE = "so-visible-" + RUN;
    private static final String EXACT = "so-exact-" + RUN;
    private static final String NOISY = "so-noisy-" + RUN;
    private static final String QUIET = "so-quiet-" + RUN;
    private static final int NOISY_LIMIT = 100;
    private static final int QUIET_LIMIT = 300;
    private static final Map<String, String> LIMITS = Map.of(
            "tessera.rate-limit.tenants." + VISIBLE, "100000",
            "tessera.rate-limit.tenants." + NOISY, String.valueOf(NOISY_LIMIT),
            "tessera.rate-limit.tenants." + QUIET, String.valueOf(QUIET_LIMIT));

    private static SecurityFixture system;
    private static ConfigurableApplicationContext secondQuerySide;
    private static List<String> querySides;

    @BeforeAll
    static void start(@TempDir Path home) {
        // Per-tenant limits reach both sides as system properties (the local run takes no extra arguments).
        LIMITS.forEach(System::setProperty);
        try {
            system = SecurityFixture.start(home);
            secondQuerySide = new SpringApplicationBuilder(QuerySideApplication.class)
                    .registerShutdownHook(false)
                    .run(
                            "--spring.config.name=query-side",
                            "--server.port=0",
                            "--spring.datasource.url=" + system.run.database().url(),
                            "--tessera.db.query-user=" + LocalPostgres.QUERY_LOGIN,
                            "--tessera.db.owner-user=" + LocalPostgres.OWNER,
                            "--spring.kafka.bootstrap-servers=" + system.run.kafkaBootstrap(),
                            "--tessera.jwt.secret=" + system.jwtSecret,
                            "--tessera.pii.master-key="
                                    + LocalInfrastructure.shared().masterKey(),
                            "--tessera.events.public-keys="
                                    + LocalInfrastructure.shared()
                                            .eventSigningProperties()
                                            .get("tessera.events.public-keys"),
                            "--spring.main.banner-mode=off");
        } finally {
            LIMITS.keySet().forEach(System::clearProperty);
        }
        querySides = List.of(
                system.querySide,
                "http://localhost" + ":" + secondQuerySide.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        if (secondQuerySide != null) {
            secondQuerySide.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void anUpdateThroughTheCommandSideBecomesVisibleOnBothQueryInstances() {
        String editor = system.token(VISIBLE, Role.EDITOR);
        String viewer = system.token(VISIBLE, Role.VIEWER);
        String id = SecurityFixture.acceptedId(
                system.command("POST", "/api/deployments", editor, Map.of("project_name", "scale-out")));
        for (String querySide : querySides) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            total(system.call(querySide, "GET", "/api/deployments?status=pending", viewer, null)) == 1);
            // Twice: the second answer comes from the instance's cache.
            assertThat(total(system.call(querySide, "GET", "/api/deployments?status=pending", viewer, null)))
                    .isEqualTo(1);
        }

        long sent = System.nanoTime();
        Answer accepted = system.command("PATCH", "/api/deployments/" + id, editor, Map.of("status", "building"));
        long acceptedAt = System.nanoTime();
        assertThat(accepted.status()).as(accepted.describe()).isEqualTo(202);
        // Both instances polled in turn, each until it answers the new state: one window per instance.
        Map<String, Long> visibleAt = new java.util.LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    for (String querySide : querySides) {
                        if (!visibleAt.containsKey(querySide) && showsTheUpdate(querySide, viewer)) {
                            visibleAt.put(querySide, System.nanoTime());
                        }
                    }
                    return visibleAt.size() == querySides.size();
                });
        List<String> windows = new ArrayList<>();
        visibleAt.forEach((querySide, at) -> windows.add(querySide + ": " + (at - acceptedAt) / 1_000_000
                + " ms after the 202 (" + (at - sent) / 1_000_000 + " ms after the PATCH was sent)"));
        System.out.println("[ScaleOutIT] update visible on the query instances: " + windows);
    }

    private static boolean showsTheUpdate(String querySide, String viewer) {
        return total(system.call(querySide, "GET", "/api/deployments?status=building", viewer, null)) == 1
                && total(system.call(querySide, "GET", "/api/deployments?status=pending", viewer, null)) == 0;
    }

    @Test
    void theRateLimitIsExactSummedOverBothInstances() throws Exception {
        String viewer = system.token(EXACT, Role.VIEWER);
        int limit = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Answer> answers = new ArrayList<>();
        try {
            List<Future<Answer>> calls = new ArrayList<>();
            for (int i = 0; i < limit; i++) {
                String querySide = querySides.get(i % 2);
                calls.add(pool.submit(() -> system.call(querySide, "GET", "/api/deployments", viewer, null)));
            }
            for (Future<Answer> call : calls) {
                answers.add(call.get());
            }
        } finally {
            pool.shutdownNow();
        }
        Set<Long> remaining = new TreeSet<>();
        for (Answer answer : answers) {
            assertThat(answer.status()).as(answer.describe()).isEqualTo(200);
            assertThat(answer.headers().firstValue("X-RateLimit-Limit")).hasValue("1000");
            remaining.add(Long.parseLong(
                    answer.headers().firstValue("X-RateLimit-Remaining").orElseThrow()));
        }
        assertThat(remaining).as("every request took its own token").hasSize(limit);
        assertThat(remaining).first().isEqualTo(0L);
        assertThat(remaining).last().isEqualTo((long) limit - 1);

        for (String querySide : querySides) {
            Answer refused = system.call(querySide, "GET", "/api/deployments", viewer, null);
            assertThat(refused.status()).as(refused.describe()).isEqualTo(429);
            assertThat(refused.errorCode()).isEqualTo("RATE_LIMITED");
            assertThat(Long.parseLong(
                            refused.headers().firstValue("Retry-After").orElseThrow()))
                    .isPositive();
            assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        }
    }

    @Test
    void aNoisyTenantAtFiveTimesItsLimitChangesNothingForAQuietOne() throws Exception {
        String quiet = system.token(QUIET, Role.EDITOR);
        String noisy = system.token(NOISY, Role.VIEWER);
        SecurityFixture.acceptedId(
                system.command("POST", "/api/deployments", quiet, Map.of("project_name", "quiet-one")));
        List<String> quietPaths = List.of("/api/deployments", "/api/tenants/" + QUIET + "/stats");
        for (String querySide : querySides) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> total(system.call(querySide, "GET", "/api/deployments", quiet, null)) == 1);
        }
        Map<String, JsonNode> before = new java.util.HashMap<>();
        for (String path : quietPaths) {
            before.put(
                    path,
                    system.call(querySides.get(0), "GET", path, quiet, null).data());
        }
        long quietRemaining = remaining(system.call(querySides.get(1), "GET", quietPaths.get(0), quiet, null));

        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Answer>> noise = new ArrayList<>();
        try {
            for (int i = 0; i < 5 * NOISY_LIMIT; i++) {
                String querySide = querySides.get(i % 2);
                noise.add(pool.submit(() -> system.call(querySide, "GET", "/api/deployments", noisy, null)));
            }
            for (int i = 0; i < 40; i++) {
                String path = quietPaths.get(i % 2);
                Answer answer = system.call(querySides.get(i % 2), "GET", path, quiet, null);
                assertThat(answer.status()).as(answer.describe()).isEqualTo(200);
                assertThat(answer.data()).isEqualTo(before.get(path));
                assertThat(remaining(answer))
                        .as("only the quiet tenant's own requests count")
                        .isEqualTo(--quietRemaining);
                assertThat(answer.headers().firstValue("X-RateLimit-Limit")).hasValue(String.valueOf(QUIET_LIMIT));
            }
            int allowed = 0;
            int refused = 0;
            for (Future<Answer> call : noise) {
                Answer answer = call.get();
                if (answer.status() == 200) {
                    allowed++;
                } else {
                    assertThat(answer.status()).as(answer.describe()).isEqualTo(429);
                    refused++;
                }
            }
            assertThat(allowed).isEqualTo(NOISY_LIMIT);
            assertThat(refused).isEqualTo(4 * NOISY_LIMIT);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long total(Answer answer) {
        assertThat(answer.status()).as(answer.describe()).isEqualTo(200);
        return answer.json().at("/pagination/total").asLong();
    }

    private static long remaining(Answer answer) {
        return Long.parseLong(
                answer.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
    }
}
