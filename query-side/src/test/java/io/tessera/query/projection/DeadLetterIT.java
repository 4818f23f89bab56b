package io.tessera.query.projection;

import static io.tessera.query.TestEvents.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.deployment.DeploymentUrlChanged;
import io.tessera.events.user.Role;
import io.tessera.infra.observability.TraceContext;
import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.TestEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The dead-letter store on the real consumer path. The "bug" is a trigger on the live deployments table that
 * refuses one project's rows, so whichever query-side instance of the test JVM consumes the events, the
 * projection fails the same way; dropping the trigger is the fix.
 */
@QuerySideIntegrationTest
@TestPropertySource(properties = "tessera.cache.enabled=false")
class DeadLetterIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String POISON = "poison-" + RUN;

    @LocalServerPort
    int port;

    private final JdbcClient jdbc = TestEvents.admin();

    @Autowired
    ProjectionDispatcher dispatcher;

    private TestEvents events;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestEvents.infrastructure(registry);
    }

    @BeforeEach
    void breakTheProjection() {
        events = new TestEvents(port);
        jdbc.sql("""
                        CREATE OR REPLACE FUNCTION query_side.refuse_poison_%s() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            IF NEW.project_name = '%s' THEN
                                RAISE EXCEPTION 'projection bug for %%', NEW.id;
                            END IF;
                            RETURN NEW;
                        END
                        $$
                        """.formatted(RUN, POISON)).update();
        jdbc.sql("CREATE TRIGGER refuse_poison BEFORE INSERT OR UPDATE ON query_side.deployments"
                        + " FOR EACH ROW EXECUTE FUNCTION query_side.refuse_poison_" + RUN + "()")
                .update();
    }

    @AfterEach
    void closeProducer() {
        fix();
        events.close();
    }

    private void fix() {
        jdbc.sql("DROP TRIGGER IF EXISTS refuse_poison ON query_side.deployments")
                .update();
        jdbc.sql("DROP FUNCTION IF EXISTS query_side.refuse_poison_" + RUN + "()")
                .update();
    }

    @Test
    void laterEventsOfAFailedAggregateWaitOthersFlowAndARetryAppliesThemInOrder() {
        String tenant = TestEvents.newTenant();
        String other = TestEvents.newTenant();
        Instant time = Instant.parse("2026-01-01T10:00:00Z");
        events.publish(tenant, "bad", 0, time, new DeploymentCreated(tenant, "bad", POISON, null, pending()));
        events.publish(tenant, "good", 0, time, new DeploymentCreated(tenant, "good", "fine", null, pending()));
        events.publish(tenant, "bad", 1, time.plusSeconds(1), statusChange(tenant, "bad", DeploymentStatus.BUILDING));
        events.publish(
                tenant, "bad", 2, time.plusSeconds(2), new DeploymentUrlChanged(tenant, "bad", "https://bad.example"));
        events.publish(tenant, "good", 1, time.plusSeconds(3), statusChange(tenant, "good", DeploymentStatus.BUILDING));
        events.flush();

        String admin = TestEvents.token(tenant, Role.ADMIN);
        String viewer = TestEvents.token(tenant, Role.VIEWER);
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(events.get(viewer, "/api/deployments/good")
                                .data()
                                .path("status")
                                .asString())
                        .isEqualTo("building"));
        List<JsonNode> letters =
                await().atMost(PATIENCE).until(() -> letters(admin, "/api/admin/dead-letters"), l -> l.size() == 3);

        assertThat(letters).extracting(l -> l.path("aggregate_id").asString()).containsOnly("bad");
        assertThat(letters).extracting(l -> l.path("sequence").asLong()).containsExactly(0L, 1L, 2L);
        assertThat(letters)
                .extracting(l -> l.path("status").asString())
                .containsExactly("failed", "waiting", "waiting");
        assertThat(letters.get(0).path("error").asString()).contains("projection bug for bad");
        assertThat(letters.get(0).has("record")).isFalse();
        assertThat(events.get(viewer, "/api/deployments/bad").status()).isEqualTo(404);

        String firstId = letters.get(0).path("id").asString();
        TestEvents.Answer inspected = events.get(admin, "/api/admin/dead-letters/" + firstId);
        assertThat(inspected.status()).isEqualTo(200);
        assertThat(inspected.data().path("record").asString()).contains(POISON);
        assertThat(events.get(viewer, "/api/admin/dead-letters").status()).isEqualTo(403);
        String otherAdmin = TestEvents.token(other, Role.ADMIN);
        assertThat(letters(otherAdmin, "/api/admin/dead-letters")).isEmpty();
        assertThat(events.get(otherAdmin, "/api/admin/dead-letters/" + firstId).status())
                .isEqualTo(404);
        assertThat(events.post(otherAdmin, "/api/admin/dead-letters/" + firstId + "/retry")
                        .status())
                .isEqualTo(404);
        assertThat(letters(TestEvents.platformAdmin(), "/api/admin/dead-letters?tenant=" + tenant))
                .hasSize(3);

        // Still broken: the retry changes nothing but the attempt count.
        TestEvents.Answer failedRetry = events.post(admin, "/api/admin/dead-letters/" + firstId + "/retry");
        assertThat(failedRetry.status()).isEqualTo(200);
        assertThat(failedRetry.data().path("applied").asInt()).isZero();
        assertThat(failedRetry.data().path("remaining").asLong()).isEqualTo(3);
        assertThat(failedRetry.data().path("error").asString()).contains("projection bug");
        assertThat(letters(admin, "/api/admin/dead-letters")
                        .get(0)
                        .path("attempts")
                        .asInt())
                .isEqualTo(1);

        // A later event of the aggregate still queues behind.
        events.publish(tenant, "bad", 3, time.plusSeconds(4), statusChange(tenant, "bad", DeploymentStatus.ACTIVE));
        events.flush();
        await().atMost(PATIENCE).until(() -> letters(admin, "/api/admin/dead-letters"), l -> l.size() == 4);

        fix();
        TestEvents.Answer retried = events.post(admin, "/api/admin/dead-letters/" + firstId + "/retry");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.data().path("applied").asInt()).isEqualTo(4);
        assertThat(retried.data().path("remaining").asLong()).isZero();
        assertThat(letters(admin, "/api/admin/dead-letters")).isEmpty();
        JsonNode bad = events.get(viewer, "/api/deployments/bad").data();
        assertThat(bad.path("status").asString()).isEqualTo("active");
        assertThat(bad.path("url").asString()).isEqualTo("https://bad.example");
        assertThat(bad.path("version").asLong()).isEqualTo(3);
        assertThat(events.get(viewer, "/api/tenants/" + tenant + "/stats")
                        .data()
                        .path("deployments")
                        .path("total")
                        .asLong())
                .isEqualTo(2);

        // Applied after the retry, the queue is gone: the next event applies directly.
        events.publish(tenant, "bad", 4, time.plusSeconds(5), statusChange(tenant, "bad", DeploymentStatus.BUILDING));
        events.flush();
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(events.get(viewer, "/api/deployments/bad")
                                .data()
                                .path("status")
                                .asString())
                        .isEqualTo("building"));
    }

    /**
     * The consumer applies a poll's records in one transaction; one refused event sends the batch back one record
     * at a time, so the others are applied as if alone and only the refused aggregate queues.
     */
    @Test
    void aBatchWithARefusedEventAppliesTheRestAndQueuesOnlyThatAggregate() {
        String tenant = TestEvents.newTenant();
        String other = TestEvents.newTenant();
        Instant time = Instant.parse("2026-01-01T10:00:00Z");
        List<ObjectNode> batch = List.of(
                TestEvents.cloudEvent(
                        tenant, "good", 0, time, new DeploymentCreated(tenant, "good", "ok", null, pending())),
                TestEvents.cloudEvent(
                        tenant, "bad", 0, time, new DeploymentCreated(tenant, "bad", POISON, null, pending())),
                TestEvents.cloudEvent(
                        other, "elsewhere", 0, time, new DeploymentCreated(other, "elsewhere", "x", null, pending())),
                TestEvents.cloudEvent(tenant, "bad", 1, time, statusChange(tenant, "bad", DeploymentStatus.BUILDING)),
                TestEvents.cloudEvent(
                        tenant, "good", 1, time, statusChange(tenant, "good", DeploymentStatus.BUILDING)));

        dispatcher.dispatchAll(records(batch));

        String viewer = TestEvents.token(tenant, Role.VIEWER);
        assertThat(events.get(viewer, "/api/deployments/good")
                        .data()
                        .path("status")
                        .asString())
                .isEqualTo("building");
        assertThat(events.get(TestEvents.token(other, Role.VIEWER), "/api/deployments/elsewhere")
                        .status())
                .isEqualTo(200);
        assertThat(letters(TestEvents.token(tenant, Role.ADMIN), "/api/admin/dead-letters"))
                .extracting(l -> l.path("aggregate_id").asString() + "/"
                        + l.path("status").asString())
                .containsExactly("bad/failed", "bad/waiting");
        assertThat(appliedPosition(other))
                .isEqualTo(batch.get(2).path("position").asLong());
    }

    @Test
    void aBatchOverSeveralTenantsAdvancesEachTenantToItsLastEvent() {
        String tenant = TestEvents.newTenant();
        String other = TestEvents.newTenant();
        Instant time = Instant.parse("2026-01-01T10:00:00Z");
        List<ObjectNode> batch = List.of(
                TestEvents.cloudEvent(tenant, "a", 0, time, new DeploymentCreated(tenant, "a", "a", null, pending())),
                TestEvents.cloudEvent(other, "b", 0, time, new DeploymentCreated(other, "b", "b", null, pending())),
                TestEvents.cloudEvent(tenant, "a", 1, time, statusChange(tenant, "a", DeploymentStatus.BUILDING)));

        dispatcher.dispatchAll(records(batch));

        assertThat(appliedPosition(tenant))
                .isEqualTo(batch.get(2).path("position").asLong());
        assertThat(appliedPosition(other))
                .isEqualTo(batch.get(1).path("position").asLong());
        assertThat(events.get(TestEvents.token(tenant, Role.VIEWER), "/api/deployments/a")
                        .data()
                        .path("version")
                        .asLong())
                .isEqualTo(1);
    }

    private static List<ProjectionDispatcher.EventRecord> records(List<ObjectNode> cloudEvents) {
        List<ProjectionDispatcher.EventRecord> records = new ArrayList<>();
        for (int i = 0; i < cloudEvents.size(); i++) {
            records.add(new ProjectionDispatcher.EventRecord(
                    TestEvents.signed(cloudEvents.get(i)),
                    Instant.now(),
                    new RecordPlace("batch", 0, i),
                    TraceContext.begin()));
        }
        return records;
    }

    private long appliedPosition(String tenant) {
        return jdbc.sql("SELECT position FROM query_side.projection_positions WHERE tenant_id = :tenant")
                .param("tenant", tenant)
                .query(Long.class)
                .single();
    }

    @Test
    void anUnreadableRecordIsKeptForPlatformAdminsOnly() {
        String tenant = TestEvents.newTenant();
        String marker = "unreadable-" + RUN;
        events.send(tenant, "{not json " + marker);
        events.flush();
        String platform = TestEvents.platformAdmin();
        JsonNode letter = await().atMost(PATIENCE)
                .until(
                        () -> letters(platform, "/api/admin/dead-letters?per_page=100").stream()
                                .filter(l -> inspect(platform, l)
                                        .path("record")
                                        .asString()
                                        .contains(marker))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
        assertThat(letter.path("tenant_id").isNull()).isTrue();
        assertThat(letter.path("error").asString()).isEqualTo("unreadable: not JSON");
        String admin = TestEvents.token(tenant, Role.ADMIN);
        assertThat(letters(admin, "/api/admin/dead-letters")).isEmpty();
        assertThat(events.get(
                                admin,
                                "/api/admin/dead-letters/" + letter.path("id").asString())
                        .status())
                .isEqualTo(404);
    }

    private JsonNode inspect(String token, JsonNode letter) {
        return events.get(token, "/api/admin/dead-letters/" + letter.path("id").asString())
                .data();
    }

    private List<JsonNode> letters(String token, String path) {
        TestEvents.Answer answer = events.get(token, path);
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        List<JsonNode> letters = new ArrayList<>();
        answer.data().forEach(letters::add);
        return letters;
    }

    private static DeploymentStatusChanged statusChange(String tenant, String id, DeploymentStatus to) {
        return new DeploymentStatusChanged(tenant, id, pending(), to);
    }

    private static DeploymentStatus pending() {
        return DeploymentStatus.PENDING;
    }
}
