package io.tessera.query.freshness;

import static io.tessera.query.TestEvents.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.EventEnvelope;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.user.Role;
import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.QuerySideTestBase;
import io.tessera.query.TestEvents;
import io.tessera.query.TestEvents.Answer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code X-Min-Position} parks a request only for a caller who may read, and only a few of a tenant's requests at
 * once. The wait is set to ten minutes here: an answer at all proves that a request was not parked.
 */
@QuerySideIntegrationTest
@TestPropertySource(
        properties = {
            "tessera.query.min-position-timeout=10m",
            "tessera.query.min-position-max-waiting=2",
            "tessera.rate-limit.requests-per-minute=100000"
        })
class ReadYourWritesBoundsIT extends QuerySideTestBase {

    private static final String MIN_POSITION = "X-Min-Position";

    private final ExecutorService clients = Executors.newFixedThreadPool(2);

    @Autowired
    ReadYourWrites readYourWrites;

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void aTokenWithoutRoleIsRefusedBeforeAnyWait() {
        String tenant = TestEvents.newTenant();
        Answer refused = kafka.get(
                TestEvents.token(tenant), "/api/deployments", Map.of(MIN_POSITION, Long.toString(Long.MAX_VALUE)));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().at("/error/code").asString()).isEqualTo("FORBIDDEN");
    }

    @Test
    void anAuditorMayWaitForThePositionOfItsReads() {
        String tenant = TestEvents.newTenant();
        long position =
                kafka.publish(tenant, tenant, 0, Instant.now(), new TenantCreated(tenant, tenant, tenant, null));

        Answer audit = kafka.get(
                TestEvents.token(tenant, Role.AUDITOR), "/api/audit", Map.of(MIN_POSITION, Long.toString(position)));

        assertThat(audit.status()).isEqualTo(200);
    }

    @Test
    void waitsBeyondTheTenantsBoundAreAnswered503AtOnceAndOthersGoOn() throws Exception {
        String tenant = TestEvents.newTenant();
        String viewer = TestEvents.token(tenant, Role.VIEWER);
        long ahead = TestEvents.nextPosition();
        List<CompletableFuture<Answer>> parked = List.of(
                CompletableFuture.supplyAsync(
                        () -> kafka.get(viewer, "/api/deployments", Map.of(MIN_POSITION, Long.toString(ahead))),
                        clients),
                CompletableFuture.supplyAsync(
                        () -> kafka.get(viewer, "/api/workflows", Map.of(MIN_POSITION, Long.toString(ahead))),
                        clients));
        await().atMost(PATIENCE).until(() -> readYourWrites.waiting(tenant) == 2);

        Answer beyond = kafka.get(viewer, "/api/deployments", Map.of(MIN_POSITION, Long.toString(ahead)));
        assertThat(beyond.status()).isEqualTo(503);
        assertThat(beyond.body().at("/error/code").asString()).isEqualTo("UNAVAILABLE");
        assertThat(beyond.retryAfter()).isNotBlank();

        String other = TestEvents.newTenant();
        long reached = kafka.publish(other, other, 0, Instant.now(), new TenantCreated(other, other, other, null));
        assertThat(kafka.get(
                                TestEvents.token(other, Role.VIEWER),
                                "/api/deployments",
                                Map.of(MIN_POSITION, Long.toString(reached)))
                        .status())
                .isEqualTo(200);

        ObjectNode caughtUp = TestEvents.cloudEvent(
                tenant, tenant, 0, Instant.now(), new TenantCreated(tenant, tenant, tenant, null));
        caughtUp.put(EventEnvelope.POSITION, Long.toString(ahead));
        kafka.publish(caughtUp);
        for (CompletableFuture<Answer> answer : parked) {
            assertThat(answer.get().status()).isEqualTo(200);
        }
        assertThat(readYourWrites.waiting(tenant)).isZero();
    }
}
