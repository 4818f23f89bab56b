package io.tessera.query;

import static io.tessera.query.TestEvents.PATIENCE;
import static io.tessera.query.TestEvents.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentDeleted;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.deployment.DeploymentUrlChanged;
import io.tessera.events.tenant.CreationQuotaConsumed;
import io.tessera.events.tenant.QuotaResource;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.user.Role;
import io.tessera.events.user.UserCreated;
import io.tessera.events.workflow.WorkflowConfigChanged;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowRenamed;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.events.workflow.WorkflowStatusChanged;
import io.tessera.query.TestEvents.Answer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The query side on real PostgreSQL and Kafka: CloudEvents published exactly as the command side
 * publishes them, read back through the HTTP API with real tokens.
 */
@QuerySideIntegrationTest
@TestPropertySource(properties = "tessera.query.min-position-timeout=2s")
class QuerySideIT extends QuerySideTestBase {

    @Autowired
    JdbcClient jdbc;

    @Test
    void createdDeploymentIsVisibleInListAndById() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-05-01T10:15:30.123456Z");
        publish(
                tenant,
                "dep-1",
                0,
                time,
                new DeploymentCreated(tenant, "dep-1", "Web Shop", "https://shop", pending()));

        JsonNode deployment = awaitOk(tenant, "/api/deployments/dep-1").get("data");

        assertThat(deployment.get("id").asString()).isEqualTo("dep-1");
        assertThat(deployment.get("tenant_id").asString()).isEqualTo(tenant);
        assertThat(deployment.get("project_name").asString()).isEqualTo("Web Shop");
        assertThat(deployment.get("status").asString()).isEqualTo("pending");
        assertThat(deployment.get("url").asString()).isEqualTo("https://shop");
        assertThat(Instant.parse(deployment.get("created_at").asString())).isEqualTo(time);
        Answer list = get(tenant, "/api/deployments");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().get("success").asBoolean()).isTrue();
        assertThat(list.body().get("tenant_id").asString()).isEqualTo(tenant);
        assertThat(ids(list)).containsExactly("dep-1");
        assertThat(list.body().at("/pagination/total").asLong()).isEqualTo(1);
        assertThat(list.body().at("/pagination/page").asInt()).isEqualTo(1);
        assertThat(list.body().at("/pagination/per_page").asInt()).isEqualTo(50);
        assertThat(list.body().at("/pagination/cursor").isNull()).isTrue();
    }

    @Test
    void redeliveredEventsChangeNothing() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-05-01T10:00:00Z");
        DeploymentCreated created = new DeploymentCreated(tenant, "dep-1", "shop", null, pending());
        DeploymentStatusChanged building =
                new DeploymentStatusChanged(tenant, "dep-1", pending(), DeploymentStatus.BUILDING);
        publish(tenant, tenant, 0, time, new TenantCreated(tenant, "Tenant", tenant, null));
        publish(tenant, "dep-1", 0, time, created);
        publish(tenant, "dep-1", 1, time.plusSeconds(1), building);
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(get(tenant, "/api/deployments/dep-1")
                                .body()
                                .at("/data/status")
                                .asString())
                        .isEqualTo("building"));

        publish(tenant, "dep-1", 0, time, created);
        publish(tenant, "dep-1", 1, time.plusSeconds(1), building);
        publish(
                tenant,
                "dep-2",
                0,
                time.plusSeconds(2),
                new DeploymentCreated(tenant, "dep-2", "marker", null, pending()));
        awaitOk(tenant, "/api/deployments/dep-2");

        JsonNode deployment = get(tenant, "/api/deployments/dep-1").body().get("data");
        assertThat(deployment.get("status").asString()).isEqualTo("building");
        assertThat(deployment.get("version").asLong()).isEqualTo(1);
        JsonNode stats = get(tenant, "/api/tenants/" + tenant + "/stats").body().get("data");
        assertThat(stats.at("/deployments/total").asLong()).isEqualTo(2);
        assertThat(stats.at("/deployments/by_status/building").asLong()).isEqualTo(1);
        assertThat(stats.at("/deployments/by_status/pending").asLong()).isEqualTo(1);
        assertThat(stats.at("/workflows/total").asLong()).isZero();
        // Quota usage counts the creations of the last hour only: these happened in 2024.
        assertThat(stats.at("/quotas/deployments_per_hour/used").isIntegralNumber())
                .isTrue();
        assertThat(stats.at("/quotas/deployments_per_hour/used").asLong()).isZero();
        assertThat(get(tenant, "/api/deployments")
                        .body()
                        .at("/pagination/total")
                        .asLong())
                .isEqualTo(2);
    }

    @Test
    void deletedDeploymentLeavesListsAndCountersAndDoesNotComeBack() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-05-01T10:00:00Z");
        DeploymentCreated created = new DeploymentCreated(tenant, "dep-1", "shop", null, pending());
        publish(tenant, "dep-1", 0, time, created);
        publish(tenant, "dep-1", 1, time.plusSeconds(1), new DeploymentDeleted(tenant, "dep-1", pending()));
        publish(tenant, "dep-1", 0, time, created);
        publish(
                tenant,
                "dep-2",
                0,
                time.plusSeconds(2),
                new DeploymentCreated(tenant, "dep-2", "marker", null, pending()));
        awaitOk(tenant, "/api/deployments/dep-2");

        assertThat(get(tenant, "/api/deployments/dep-1").status()).isEqualTo(404);
        assertThat(ids(get(tenant, "/api/deployments"))).containsExactly("dep-2");
        assertThat(get(tenant, "/api/tenants/" + tenant + "/stats")
                        .body()
                        .at("/data/deployments/total")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void cursorWalkReturnsEveryDeploymentExactlyOnceInOrder() {
        String tenant = newTenant();
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        List<String[]> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String id = "dep-" + UUID.randomUUID();
            Instant created = base.plusSeconds(i / 3);
            expected.add(new String[] {created.toString(), id});
            publishAsync(tenant, id, 0, created, new DeploymentCreated(tenant, id, "project " + i, null, pending()));
        }
        kafka.flush();
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(get(tenant, "/api/deployments?per_page=1")
                                .body()
                                .at("/pagination/total")
                                .asLong())
                        .isEqualTo(1000));
        Comparator<String[]> byCreatedThenId = Comparator.<String[], Instant>comparing(e -> Instant.parse(e[0]))
                .thenComparing(e -> e[1]);
        List<String> newestFirst = expected.stream()
                .sorted(byCreatedThenId.reversed())
                .map(e -> e[1])
                .toList();
        List<String> oldestFirst =
                expected.stream().sorted(byCreatedThenId).map(e -> e[1]).toList();

        assertThat(walk(tenant, "/api/deployments?limit=100")).containsExactlyElementsOf(newestFirst);
        assertThat(walk(tenant, "/api/deployments?sort=created_at&limit=77")).containsExactlyElementsOf(oldestFirst);

        Answer lastPage = get(tenant, "/api/deployments?page=10&per_page=100");
        assertThat(lastPage.body().at("/pagination/total").asLong()).isEqualTo(1000);
        assertThat(lastPage.body().at("/pagination/total_pages").asLong()).isEqualTo(10);
        assertThat(lastPage.body().at("/pagination/has_next").asBoolean()).isFalse();
        assertThat(lastPage.body().at("/pagination/has_prev").asBoolean()).isTrue();
        assertThat(ids(lastPage)).containsExactlyElementsOf(newestFirst.subList(900, 1000));
        Answer capped = get(tenant, "/api/deployments?per_page=500");
        assertThat(capped.body().at("/pagination/per_page").asInt()).isEqualTo(100);
        assertThat(capped.body().get("data").size()).isEqualTo(100);
        assertThat(capped.body().at("/pagination/total_pages").asLong()).isEqualTo(10);
    }

    @Test
    void filtersByStatusNameAndCreationTime() {
        String tenant = newTenant();
        Instant base = Instant.parse("2024-03-01T00:00:00Z");
        publish(tenant, "d1", 0, base, new DeploymentCreated(tenant, "d1", "Billing API", null, pending()));
        publish(
                tenant,
                "d2",
                0,
                base.plusSeconds(60),
                new DeploymentCreated(tenant, "d2", "billing-ui", null, pending()));
        publish(
                tenant,
                "d3",
                0,
                base.plusSeconds(120),
                new DeploymentCreated(tenant, "d3", "Search 100%", null, pending()));
        publish(
                tenant,
                "d2",
                1,
                base.plusSeconds(180),
                new DeploymentStatusChanged(tenant, "d2", pending(), DeploymentStatus.ACTIVE));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(get(tenant, "/api/deployments/d2")
                                .body()
                                .at("/data/status")
                                .asString())
                        .isEqualTo("active"));

        assertThat(ids(get(tenant, "/api/deployments?status=active"))).containsExactly("d2");
        assertThat(ids(get(tenant, "/api/deployments?status=pending"))).containsExactly("d3", "d1");
        assertThat(ids(get(tenant, "/api/deployments?q=BILLING"))).containsExactly("d2", "d1");
        assertThat(ids(get(tenant, "/api/deployments?q=" + encode("100%")))).containsExactly("d3");
        assertThat(ids(get(tenant, "/api/deployments?q=" + encode("_")))).isEmpty();
        assertThat(ids(get(
                        tenant,
                        "/api/deployments?created_after="
                                + encode(base.plusSeconds(30).toString()))))
                .containsExactly("d3", "d2");
        assertThat(ids(get(tenant, "/api/deployments?created_before=2024-03-01T00:01:30Z&sort=created_at")))
                .containsExactly("d1", "d2");
        assertThat(ids(get(tenant, "/api/deployments?status=pending&q=search&created_after=2024-03-01")))
                .containsExactly("d3");
        assertThat(get(tenant, "/api/deployments?status=exploded").status()).isEqualTo(400);
        assertThat(get(tenant, "/api/deployments?created_after=yesterday").status())
                .isEqualTo(400);
        assertThat(get(tenant, "/api/deployments?sort=name")
                        .body()
                        .at("/error/code")
                        .asString())
                .isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void cursorOfAnotherTenantOrAnotherFilterIsRefused() {
        String tenant = newTenant();
        String other = newTenant();
        Instant base = Instant.parse("2024-03-01T00:00:00Z");
        for (int i = 0; i < 3; i++) {
            publish(
                    tenant,
                    "d" + i,
                    0,
                    base.plusSeconds(i),
                    new DeploymentCreated(tenant, "d" + i, "p", null, pending()));
        }
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(get(tenant, "/api/deployments")
                                .body()
                                .at("/pagination/total")
                                .asLong())
                        .isEqualTo(3));
        String cursor = get(tenant, "/api/deployments?limit=1")
                .body()
                .at("/pagination/cursor")
                .asString();
        assertThat(cursor).isNotBlank();
        assertThat(get(tenant, "/api/deployments?cursor=" + cursor).status()).isEqualTo(200);

        Answer otherTenant = get(other, "/api/deployments?cursor=" + cursor);
        assertThat(otherTenant.status()).isEqualTo(400);
        assertThat(otherTenant.body().at("/error/code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(get(tenant, "/api/deployments?status=pending&cursor=" + cursor)
                        .status())
                .isEqualTo(400);
        assertThat(get(tenant, "/api/deployments?sort=created_at&cursor=" + cursor)
                        .status())
                .isEqualTo(400);
        assertThat(get(tenant, "/api/workflows?cursor=" + cursor).status()).isEqualTo(400);
        assertThat(get(tenant, "/api/deployments?cursor=x" + cursor).status()).isEqualTo(400);
    }

    @Test
    void anotherTenantSeesNothing() {
        String tenantA = newTenant();
        String tenantB = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        publish(tenantA, tenantA, 0, time, new TenantCreated(tenantA, "A", tenantA, null));
        publish(
                tenantA,
                "secret-dep",
                0,
                time,
                new DeploymentCreated(tenantA, "secret-dep", "secret", null, pending()));
        publish(
                tenantA,
                "secret-wf",
                0,
                time,
                new WorkflowCreated(tenantA, "secret-wf", "secret", Map.of(), WorkflowStatus.DRAFT));
        publish(tenantB, tenantB, 0, time, new TenantCreated(tenantB, "B", tenantB, null));
        awaitOk(tenantA, "/api/deployments/secret-dep");
        awaitOk(tenantB, "/api/tenants/" + tenantB + "/stats");

        assertNotFound(get(tenantB, "/api/deployments/secret-dep"));
        assertThat(ids(get(tenantB, "/api/deployments"))).isEmpty();
        assertThat(ids(get(tenantB, "/api/deployments?q=secret"))).isEmpty();
        assertThat(ids(get(tenantB, "/api/workflows"))).isEmpty();
        assertThat(ids(get(tenantB, "/api/tenants"))).containsExactly(tenantB);
        assertTenantForbidden(get(tenantB, "/api/tenants/" + tenantA + "/stats"));
        assertTenantForbidden(get(tenantB, "/api/tenants/no-such-tenant/stats"));
        assertTenantForbidden(get(tenantB, "/api/deployments/secret-dep", Map.of("X-Tenant-ID", tenantA)));
        assertTenantForbidden(get(tenantB, "/api/deployments?tenant_id=" + tenantA));
        assertThat(get(tenantB, "/api/deployments/secret-dep").body().toString())
                .doesNotContain(tenantA);
    }

    @Test
    void multiTenantCallerSwitchesTenantByHeader() {
        String tenantA = newTenant();
        String tenantB = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        publish(tenantA, "dep-a", 0, time, new DeploymentCreated(tenantA, "dep-a", "a", null, pending()));
        awaitOk(tenantA, "/api/deployments/dep-a");
        String token = TestEvents.TOKENS.issue(
                "admin", tenantB, Set.of(Role.VIEWER), Set.of(tenantA), false, Duration.ofMinutes(30));

        Answer viaHeader = getWithToken(token, "/api/deployments/dep-a", Map.of("X-Tenant-ID", tenantA));
        assertThat(viaHeader.status()).isEqualTo(200);
        assertThat(viaHeader.body().get("tenant_id").asString()).isEqualTo(tenantA);
        assertThat(getWithToken(token, "/api/tenants/" + tenantA + "/stats", Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(getWithToken(token, "/api/deployments/dep-a", Map.of()).status())
                .isEqualTo(404);
    }

    @Test
    void workflowsUsersAndTenantsAreProjected() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        publish(tenant, tenant, 0, time, new TenantCreated(tenant, "Acme Corp", tenant + "-slug", null));
        publish(
                tenant,
                "wf-1",
                0,
                time,
                new WorkflowCreated(
                        tenant,
                        "wf-1",
                        "Nightly build",
                        Map.of("steps", List.of("build", "test"), "retries", 3),
                        WorkflowStatus.DRAFT));
        publish(tenant, "user-1", 0, time, new UserCreated(tenant, "user-1", "ann@example.com", Role.EDITOR));
        awaitOk(tenant, "/api/workflows/wf-1");
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(ids(get(tenant, "/api/users"))).containsExactly("user-1"));

        JsonNode workflow = get(tenant, "/api/workflows/wf-1").body().get("data");
        assertThat(workflow.get("name").asString()).isEqualTo("Nightly build");
        assertThat(workflow.get("status").asString()).isEqualTo("draft");
        assertThat(workflow.at("/config/retries").asInt()).isEqualTo(3);
        assertThat(workflow.at("/config/steps/1").asString()).isEqualTo("test");
        assertThat(get(tenant, "/api/users").body().at("/data/0/email").asString())
                .isEqualTo("ann@example.com");
        JsonNode tenants = get(tenant, "/api/tenants").body().get("data");
        assertThat(tenants.at("/0/name").asString()).isEqualTo("Acme Corp");
        assertThat(tenants.at("/0/quotas/deployments_per_hour").asInt()).isEqualTo(100);
        JsonNode stats = get(tenant, "/api/tenants/" + tenant + "/stats").body().get("data");
        assertThat(stats.at("/workflows/by_status/draft").asLong()).isEqualTo(1);
        assertThat(stats.at("/users/total").asLong()).isEqualTo(1);
        assertThat(get(tenant, "/api/workflows?status=pending").status()).isEqualTo(400);
    }

    @Test
    void unreadableRecordsAreSkippedWithoutStallingTheConsumer() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        kafka.send(tenant, "{not json");
        kafka.send(tenant, "{\"type\":\"tessera.nothing.v1\"}");
        ObjectNode foreign = cloudEvent(
                tenant, "stolen", 0, time, new DeploymentCreated("someone-else", "stolen", "x", null, pending()));
        kafka.send(tenant, foreign.toString());
        ObjectNode untagged = cloudEvent(
                tenant, "untagged", 0, time, new DeploymentCreated(tenant, "untagged", "x", null, pending()));
        untagged.remove("tenantid");
        kafka.send(tenant, untagged.toString());
        publish(tenant, "dep-ok", 0, time, new DeploymentCreated(tenant, "dep-ok", "fine", null, pending()));

        awaitOk(tenant, "/api/deployments/dep-ok");
        assertThat(ids(get(tenant, "/api/deployments"))).containsExactly("dep-ok");
        assertThat(get("someone-else", "/api/deployments/stolen").status()).isEqualTo(404);
    }

    @Test
    void minPositionHeaderReadsYourWrites() {
        String tenant = newTenant();
        publish(tenant, "d0", 0, Instant.parse("2024-03-01T00:00:00Z"), deploymentCreated(tenant, "d0"));
        awaitOk(tenant, "/api/deployments/d0");
        for (int i = 1; i <= 5; i++) {
            long position = publish(
                    tenant, "d" + i, 0, Instant.parse("2024-03-01T00:00:00Z"), deploymentCreated(tenant, "d" + i));

            Answer read = get(tenant, "/api/deployments/d" + i, Map.of("X-Min-Position", Long.toString(position)));

            assertThat(read.status()).isEqualTo(200);
        }
        Answer tooFar = get(tenant, "/api/deployments", Map.of("X-Min-Position", Long.toString(Long.MAX_VALUE / 2)));
        assertThat(tooFar.status()).isEqualTo(503);
        assertThat(tooFar.body().at("/error/code").asString()).isEqualTo("UNAVAILABLE");
        assertThat(tooFar.retryAfter()).isNotBlank();
        assertThat(get(tenant, "/api/deployments", Map.of("X-Min-Position", "soon"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void workflowChangesApplyInOrderOfSequence() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        publish(
                tenant,
                "wf",
                0,
                time,
                new WorkflowCreated(tenant, "wf", "old name", Map.of("a", 1), WorkflowStatus.DRAFT));
        publish(tenant, "wf", 1, time.plusSeconds(1), new WorkflowRenamed(tenant, "wf", "new name"));
        publish(tenant, "wf", 2, time.plusSeconds(2), new WorkflowConfigChanged(tenant, "wf", Map.of("b", true)));
        publish(
                tenant,
                "wf",
                3,
                time.plusSeconds(3),
                new WorkflowStatusChanged(tenant, "wf", WorkflowStatus.DRAFT, WorkflowStatus.ACTIVE));
        publish(tenant, "wf", 1, time.plusSeconds(1), new WorkflowRenamed(tenant, "wf", "stale"));
        publish(tenant, "marker", 0, time, deploymentCreated(tenant, "marker"));
        awaitOk(tenant, "/api/deployments/marker");

        JsonNode workflow = get(tenant, "/api/workflows/wf").body().get("data");
        assertThat(workflow.get("name").asString()).isEqualTo("new name");
        assertThat(workflow.get("status").asString()).isEqualTo("active");
        assertThat(workflow.get("config").toString()).isEqualTo("{\"b\":true}");
        assertThat(workflow.get("version").asLong()).isEqualTo(3);
        assertThat(Instant.parse(workflow.get("updated_at").asString())).isEqualTo(time.plusSeconds(3));
        assertThat(ids(get(tenant, "/api/workflows?status=active&q=NEW"))).containsExactly("wf");
        JsonNode stats = get(tenant, "/api/tenants/" + tenant + "/stats").body().get("data");
        assertThat(stats.at("/workflows/by_status/active").asLong()).isEqualTo(1);
        assertThat(stats.at("/workflows/by_status/draft").asLong()).isZero();
    }

    @Test
    void eventLogReplaysTheTenantsEventsOnceInPositionOrder() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-06-01T08:00:00Z");
        DeploymentStatusChanged building =
                new DeploymentStatusChanged(tenant, "dep-1", pending(), DeploymentStatus.BUILDING);
        List<Long> positions = new ArrayList<>();
        positions.add(
                publish(cloudEvent(tenant, "platform", tenant, 0, time, new TenantCreated(tenant, "T", tenant, null))));
        ObjectNode created = cloudEvent(
                tenant, "alice", "dep-1", 0, time, new DeploymentCreated(tenant, "dep-1", "shop", null, pending()));
        positions.add(publish(created));
        positions.add(publish(cloudEvent(tenant, "bob", "dep-1", 1, time.plusSeconds(1), building)));
        publish(created);
        publish(tenant, "dep-1", 1, time.plusSeconds(1), building);
        positions.add(publish(cloudEvent(
                tenant,
                "alice",
                "dep-1",
                2,
                time.plusSeconds(2),
                new DeploymentUrlChanged(tenant, "dep-1", "https://shop"))));
        positions.add(publish(
                cloudEvent(tenant, "alice", "marker", 0, time.plusSeconds(3), deploymentCreated(tenant, "marker"))));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(positions(getAs(Role.AUDITOR, tenant, "/api/events")))
                        .endsWith(positions.get(4)));

        Answer all = getAs(Role.AUDITOR, tenant, "/api/events");
        assertThat(positions(all)).containsExactlyElementsOf(positions);
        assertThat(all.body().at("/pagination/total").asLong()).isEqualTo(5);
        assertThat(all.body().at("/pagination/per_page").asInt()).isEqualTo(100);
        assertThat(all.body().at("/pagination/has_next").asBoolean()).isFalse();
        assertThat(all.body().at("/pagination/cursor").isNull()).isTrue();
        assertThat(all.headers().getFirst("X-Next-After-Position"))
                .isEqualTo(positions.get(4).toString());
        JsonNode first = all.body().at("/data/1");
        assertThat(first.get("id").asString()).isEqualTo(created.get("id").asString());
        assertThat(first.get("type").asString()).isEqualTo("tessera.deployment.created.v2");
        assertThat(first.get("subject").asString()).isEqualTo("dep-1");
        assertThat(first.get("sequence").asLong()).isZero();
        assertThat(Instant.parse(first.get("time").asString())).isEqualTo(time);
        assertThat(first.get("actor").asString()).isEqualTo("alice");
        assertThat(first.get("command_id").asString())
                .isEqualTo(created.get("commandid").asString());
        assertThat(first.at("/data/name").asString()).isEqualTo("shop");
        assertThat(first.at("/data/tenant_id").asString()).isEqualTo(tenant);

        Answer page1 = getAs(Role.AUDITOR, tenant, "/api/events?limit=2");
        assertThat(positions(page1)).containsExactlyElementsOf(positions.subList(0, 2));
        assertThat(page1.body().at("/pagination/has_next").asBoolean()).isTrue();
        String cursor = page1.body().at("/pagination/cursor").asString();
        assertThat(cursor).isEqualTo(positions.get(1).toString());
        assertThat(page1.headers().getFirst("X-Next-After-Position")).isEqualTo(cursor);
        Answer page2 = getAs(Role.AUDITOR, tenant, "/api/events?limit=2&after_position=" + cursor);
        assertThat(positions(page2)).containsExactlyElementsOf(positions.subList(2, 4));
        assertThat(page2.body().at("/pagination/has_prev").asBoolean()).isTrue();
        Answer page3 = getAs(
                Role.AUDITOR,
                tenant,
                "/api/events?limit=2&cursor="
                        + page2.body().at("/pagination/cursor").asString());
        assertThat(positions(page3)).containsExactly(positions.get(4));
        assertThat(page3.body().at("/pagination/has_next").asBoolean()).isFalse();
        assertThat(page3.body().at("/pagination/cursor").isNull()).isTrue();
        Answer beyond = getAs(Role.AUDITOR, tenant, "/api/events?after_position=" + positions.get(4));
        assertThat(positions(beyond)).isEmpty();
        assertThat(beyond.headers().getFirst("X-Next-After-Position"))
                .isEqualTo(positions.get(4).toString());

        assertThat(getAs(Role.AUDITOR, tenant, "/api/events?limit=5000")
                        .body()
                        .at("/pagination/per_page")
                        .asInt())
                .isEqualTo(1000);
        for (String bad : List.of("after_position=-1", "after_position=soon", "limit=0", "after_position=1&cursor=2")) {
            Answer refused = getAs(Role.AUDITOR, tenant, "/api/events?" + bad);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body().at("/error/code").asString()).isEqualTo("VALIDATION_FAILED");
        }
        assertForbidden(getAs(Role.VIEWER, tenant, "/api/events"));
        assertForbidden(getAs(Role.ADMIN, tenant, "/api/events"));
    }

    @Test
    void auditTellsAuditorsWhoDidWhatNewestFirst() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-06-01T08:00:00Z");
        publish(cloudEvent(tenant, "platform", tenant, 0, time, new TenantCreated(tenant, "T", tenant, null)));
        ObjectNode quota = cloudEvent(
                tenant,
                "alice",
                tenant,
                1,
                time.plusSeconds(1),
                new CreationQuotaConsumed(tenant, QuotaResource.DEPLOYMENT, "dep-1"));
        ObjectNode created = cloudEvent(
                tenant,
                "alice",
                "dep-1",
                0,
                time.plusSeconds(1),
                new DeploymentCreated(tenant, "dep-1", "shop", null, pending()));
        created.put("commandid", quota.get("commandid").asString());
        publish(quota);
        publish(created);
        publish(cloudEvent(
                tenant,
                "bob",
                "dep-1",
                1,
                time.plusSeconds(2),
                new DeploymentStatusChanged(tenant, "dep-1", pending(), DeploymentStatus.BUILDING)));
        long last = publish(cloudEvent(
                tenant,
                "bob",
                "wf-1",
                0,
                time.plusSeconds(3),
                new WorkflowCreated(tenant, "wf-1", "nightly", Map.of(), WorkflowStatus.DRAFT)));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(positions(getAs(Role.AUDITOR, tenant, "/api/events")))
                        .endsWith(last));

        Answer audit = getAs(Role.AUDITOR, tenant, "/api/audit");
        assertThat(audit.status()).isEqualTo(200);
        assertThat(actions(audit))
                .containsExactly(
                        "workflow.created", "deployment.status-changed", "deployment.created", "tenant.created");
        assertThat(audit.body().at("/pagination/total").asLong()).isEqualTo(4);
        JsonNode creation = audit.body().at("/data/2");
        assertThat(creation.get("actor").asString()).isEqualTo("alice");
        assertThat(creation.get("resource_type").asString()).isEqualTo("deployment");
        assertThat(creation.get("resource_id").asString()).isEqualTo("dep-1");
        assertThat(creation.get("command_id").asString())
                .isEqualTo(created.get("commandid").asString());
        assertThat(creation.get("outcome").asString()).isEqualTo("accepted");
        assertThat(Instant.parse(creation.get("time").asString())).isEqualTo(time.plusSeconds(1));

        assertThat(actions(getAs(Role.AUDITOR, tenant, "/api/audit?actor=alice")))
                .containsExactly("deployment.created");
        assertThat(actions(getAs(Role.AUDITOR, tenant, "/api/audit?resource_id=dep-1")))
                .containsExactly("deployment.status-changed", "deployment.created");
        assertThat(actions(getAs(Role.AUDITOR, tenant, "/api/audit?from=" + time.plusSeconds(2))))
                .containsExactly("workflow.created", "deployment.status-changed");
        assertThat(actions(getAs(Role.AUDITOR, tenant, "/api/audit?to=" + time.plusSeconds(2))))
                .containsExactly("deployment.created", "tenant.created");

        List<String> walked = new ArrayList<>();
        Answer page = getAs(Role.AUDITOR, tenant, "/api/audit?limit=1");
        while (true) {
            walked.addAll(actions(page));
            JsonNode cursor = page.body().at("/pagination/cursor");
            if (cursor.isNull()) {
                break;
            }
            assertThat(walked).hasSizeLessThan(4);
            page = getAs(Role.AUDITOR, tenant, "/api/audit?limit=1&cursor=" + cursor.asString());
        }
        assertThat(walked).containsExactlyElementsOf(actions(audit));
        String cursor = getAs(Role.AUDITOR, tenant, "/api/audit?limit=1")
                .body()
                .at("/pagination/cursor")
                .asString();
        assertThat(getAs(Role.AUDITOR, tenant, "/api/audit?actor=bob&cursor=" + cursor)
                        .status())
                .isEqualTo(400);
        assertThat(getAs(Role.AUDITOR, newTenant(), "/api/audit?cursor=" + cursor)
                        .body()
                        .at("/error/code")
                        .asString())
                .isEqualTo("VALIDATION_FAILED");
        assertThat(getAs(Role.AUDITOR, tenant, "/api/audit?from=yesterday").status())
                .isEqualTo(400);
        assertForbidden(getAs(Role.VIEWER, tenant, "/api/audit"));
        assertForbidden(getAs(Role.EDITOR, tenant, "/api/audit"));
    }

    @Test
    void historyGivesTheEventsAndTheStateAsOfATime() {
        String tenant = newTenant();
        Instant t0 = Instant.parse("2024-06-01T08:00:00Z");
        publish(tenant, "dep-1", 0, t0, new DeploymentCreated(tenant, "dep-1", "shop", "https://old", pending()));
        publish(
                tenant,
                "dep-1",
                1,
                t0.plusSeconds(10),
                new DeploymentStatusChanged(tenant, "dep-1", pending(), DeploymentStatus.BUILDING));
        publish(tenant, "dep-1", 2, t0.plusSeconds(20), new DeploymentUrlChanged(tenant, "dep-1", "https://new"));
        publish(
                tenant,
                "dep-1",
                3,
                t0.plusSeconds(30),
                new DeploymentStatusChanged(tenant, "dep-1", DeploymentStatus.BUILDING, DeploymentStatus.ACTIVE));
        publish(
                tenant,
                "dep-1",
                4,
                t0.plusSeconds(40),
                new DeploymentDeleted(tenant, "dep-1", DeploymentStatus.ACTIVE));
        publish(
                tenant,
                "wf-1",
                0,
                t0,
                new WorkflowCreated(tenant, "wf-1", "old name", Map.of("a", 1), WorkflowStatus.DRAFT));
        publish(tenant, "wf-1", 1, t0.plusSeconds(10), new WorkflowRenamed(tenant, "wf-1", "new name"));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(get(tenant, "/api/workflows/wf-1/history")
                                .body()
                                .at("/data/events")
                                .size())
                        .isEqualTo(2));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(get(tenant, "/api/deployments/dep-1/history")
                                .body()
                                .at("/data/events")
                                .size())
                        .isEqualTo(5));

        JsonNode now = get(tenant, "/api/deployments/dep-1/history").body().get("data");
        assertThat(now.get("id").asString()).isEqualTo("dep-1");
        List<Long> sequences = new ArrayList<>();
        now.get("events").forEach(event -> sequences.add(event.get("sequence").asLong()));
        assertThat(sequences).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(now.at("/state/status").asString()).isEqualTo("active");
        assertThat(now.at("/state/deleted").asBoolean()).isTrue();
        JsonNode earlier = get(tenant, "/api/deployments/dep-1/history?as_of=" + t0.plusSeconds(25))
                .body()
                .get("data");
        assertThat(Instant.parse(earlier.get("as_of").asString())).isEqualTo(t0.plusSeconds(25));
        assertThat(earlier.at("/state/id").asString()).isEqualTo("dep-1");
        assertThat(earlier.at("/state/project_name").asString()).isEqualTo("shop");
        assertThat(earlier.at("/state/status").asString()).isEqualTo("building");
        assertThat(earlier.at("/state/url").asString()).isEqualTo("https://new");
        assertThat(earlier.at("/state/deleted").asBoolean()).isFalse();
        assertThat(Instant.parse(earlier.at("/state/created_at").asString())).isEqualTo(t0);
        assertThat(Instant.parse(earlier.at("/state/updated_at").asString())).isEqualTo(t0.plusSeconds(20));
        assertThat(earlier.get("events").size()).isEqualTo(5);
        JsonNode beforeCreation = get(tenant, "/api/deployments/dep-1/history?as_of=2024-01-01")
                .body()
                .get("data");
        assertThat(beforeCreation.get("state").isNull()).isTrue();
        assertThat(get(tenant, "/api/workflows/wf-1/history?as_of=" + t0.plusSeconds(5))
                        .body()
                        .at("/data/state/name")
                        .asString())
                .isEqualTo("old name");
        assertThat(get(tenant, "/api/workflows/wf-1/history")
                        .body()
                        .at("/data/state/config/a")
                        .asInt())
                .isEqualTo(1);

        assertThat(get(tenant, "/api/deployments/dep-1/history?as_of=soon")
                        .body()
                        .at("/error/code")
                        .asString())
                .isEqualTo("VALIDATION_FAILED");
        assertNotFound(get(tenant, "/api/deployments/no-such-deployment/history"));
        assertNotFound(get(tenant, "/api/workflows/dep-1/history"));
        assertForbidden(getAs(Role.AUDITOR, tenant, "/api/deployments/dep-1/history"));
    }

    @Test
    void anotherTenantSeesNothingOfTheEventLogTheAuditOrHistories() {
        String tenantA = newTenant();
        String tenantB = newTenant();
        Instant time = Instant.parse("2024-06-01T08:00:00Z");
        publish(cloudEvent(
                tenantA,
                "alice",
                "secret-dep",
                0,
                time,
                new DeploymentCreated(tenantA, "secret-dep", "secret", null, pending())));
        long bPosition =
                publish(cloudEvent(tenantB, "bob", tenantB, 0, time, new TenantCreated(tenantB, "B", tenantB, null)));
        awaitOk(tenantA, "/api/deployments/secret-dep/history");
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(positions(getAs(Role.AUDITOR, tenantB, "/api/events")))
                        .containsExactly(bPosition));

        Answer events = getAs(Role.AUDITOR, tenantB, "/api/events?after_position=0");
        assertThat(events.body().at("/pagination/total").asLong()).isEqualTo(1);
        assertThat(events.body().toString()).doesNotContain("secret").doesNotContain(tenantA);
        assertThat(actions(getAs(Role.AUDITOR, tenantB, "/api/audit"))).containsExactly("tenant.created");
        assertThat(actions(getAs(Role.AUDITOR, tenantB, "/api/audit?resource_id=secret-dep")))
                .isEmpty();
        assertThat(actions(getAs(Role.AUDITOR, tenantB, "/api/audit?actor=alice")))
                .isEmpty();
        Answer foreign = get(tenantB, "/api/deployments/secret-dep/history");
        Answer unknown = get(tenantB, "/api/deployments/no-such-deployment/history");
        assertNotFound(foreign);
        assertThat(foreign.body()).isEqualTo(unknown.body());
        assertThat(foreign.body().toString()).doesNotContain(tenantA);
        assertTenantForbidden(
                getWithToken(token(tenantB, Role.AUDITOR), "/api/events", Map.of("X-Tenant-ID", tenantA)));
    }

    @Test
    void migrationsCreateTenantLedIndexes() {
        List<String> indexes = jdbc.sql("SELECT indexdef FROM pg_indexes WHERE schemaname = 'query_side'")
                .query(String.class)
                .list();

        assertThat(indexes)
                .anySatisfy(index -> assertThat(index)
                        .contains("deployments_by_created")
                        .contains("(tenant_id, created_at DESC, id DESC)"))
                .anySatisfy(index -> assertThat(index)
                        .contains("workflows_by_status")
                        .contains("(tenant_id, status, created_at DESC, id DESC)"))
                .anySatisfy(index -> assertThat(index)
                        .contains("deployments_project_name_trgm")
                        .contains("gin"))
                .anySatisfy(
                        index -> assertThat(index).contains("event_log_pkey").contains("(tenant_id, \"position\")"))
                .anySatisfy(index ->
                        assertThat(index).contains("event_log_event_id").contains("(tenant_id, event_id)"))
                .anySatisfy(index ->
                        assertThat(index).contains("event_log_stream").contains("(tenant_id, subject, sequence)"))
                .anySatisfy(index -> assertThat(index)
                        .contains("event_log_by_actor")
                        .contains("(tenant_id, actor, \"position\" DESC)"));
    }

    @Test
    void healthAndMetricsAreOpenButTheApiNeedsAToken() {
        assertThat(statusWithoutToken("/actuator/health")).isEqualTo(200);
        assertThat(statusWithoutToken("/actuator/prometheus")).isEqualTo(200);
        assertThat(statusWithoutToken("/api/deployments")).isEqualTo(401);
        Answer anonymous = getWithToken("not-a-token", "/api/deployments", Map.of());
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body().at("/error/code").asString()).isEqualTo("UNAUTHENTICATED");
    }

    private List<String> walk(String tenant, String firstPage) {
        List<String> seen = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        Answer page = get(tenant, firstPage);
        String separator = firstPage.contains("?") ? "&" : "?";
        while (true) {
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body().at("/pagination/total").asLong()).isEqualTo(1000);
            seen.addAll(ids(page));
            JsonNode cursor = page.body().at("/pagination/cursor");
            if (cursor.isNull()) {
                assertThat(page.body().at("/pagination/has_next").asBoolean()).isFalse();
                return seen;
            }
            assertThat(cursors.add(cursor.asString())).isTrue();
            assertThat(cursors).hasSizeLessThanOrEqualTo(20);
            page = get(tenant, firstPage + separator + "cursor=" + cursor.asString());
            assertThat(page.body().at("/pagination/has_prev").asBoolean()).isTrue();
        }
    }

    private static DeploymentStatus pending() {
        return DeploymentStatus.PENDING;
    }

    private static DeploymentCreated deploymentCreated(String tenant, String id) {
        return new DeploymentCreated(tenant, id, "project " + id, null, pending());
    }

    /** Returns the event's global position. */
    private long publish(String tenant, String subject, long sequence, Instant time, Object event) {
        return kafka.publish(tenant, subject, sequence, time, event);
    }

    private long publishAsync(String tenant, String subject, long sequence, Instant time, Object event) {
        return kafka.send(cloudEvent(tenant, subject, sequence, time, event));
    }

    /** Publishes the record exactly as it is: publishing it again is a redelivery. Returns its position. */
    private long publish(ObjectNode cloudEvent) {
        return kafka.publish(cloudEvent);
    }

    private static ObjectNode cloudEvent(
            String tenant, String actor, String subject, long sequence, Instant time, Object event) {
        ObjectNode cloudEvent = cloudEvent(tenant, subject, sequence, time, event);
        cloudEvent.put("actor", actor);
        return cloudEvent;
    }

    private static ObjectNode cloudEvent(String tenant, String subject, long sequence, Instant time, Object event) {
        return TestEvents.cloudEvent(tenant, subject, sequence, time, event);
    }

    private Answer get(String tenant, String path) {
        return get(tenant, path, Map.of());
    }

    private Answer get(String tenant, String path, Map<String, String> headers) {
        return getWithToken(viewerToken(tenant), path, headers);
    }

    private static String viewerToken(String tenant) {
        return token(tenant, Role.VIEWER);
    }

    private static String token(String tenant, Role role) {
        return TestEvents.token(tenant, role);
    }

    private Answer getAs(Role role, String tenant, String path) {
        return getWithToken(token(tenant, role), path, Map.of());
    }

    private Answer getWithToken(String token, String path, Map<String, String> headers) {
        return kafka.get(token, path, headers);
    }

    private int statusWithoutToken(String path) {
        Integer status = RestClient.create()
                .get()
                .uri(URI.create("http://localhost:" + port + path))
                .exchange((request, response) -> response.getStatusCode().value());
        return status;
    }

    private JsonNode awaitOk(String tenant, String path) {
        return await().atMost(PATIENCE)
                .until(() -> get(tenant, path), r -> r.status() == 200)
                .body();
    }

    private static List<String> ids(Answer response) {
        List<String> ids = new ArrayList<>();
        response.body().get("data").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static List<Long> positions(Answer response) {
        assertThat(response.status()).isEqualTo(200);
        List<Long> positions = new ArrayList<>();
        response.body()
                .get("data")
                .forEach(item -> positions.add(item.get("position").asLong()));
        return positions;
    }

    private static List<String> actions(Answer response) {
        assertThat(response.status()).isEqualTo(200);
        List<String> actions = new ArrayList<>();
        response.body()
                .get("data")
                .forEach(item -> actions.add(item.get("action").asString()));
        return actions;
    }

    private static void assertForbidden(Answer response) {
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body().at("/error/code").asString()).isEqualTo("FORBIDDEN");
    }

    private static void assertNotFound(Answer response) {
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body().at("/error/code").asString()).isEqualTo("NOT_FOUND");
    }

    private static void assertTenantForbidden(Answer response) {
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body().at("/error/code").asString()).isEqualTo("TENANT_FORBIDDEN");
    }
}
