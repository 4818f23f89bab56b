package io.tessera.query.deployment;

import static io.tessera.events.deployment.DeploymentStatus.PENDING;
import static io.tessera.query.TestEvents.PATIENCE;
import static io.tessera.query.TestEvents.assertNotFound;
import static io.tessera.query.TestEvents.deploymentCreated;
import static io.tessera.query.TestEvents.ids;
import static io.tessera.query.TestEvents.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentDeleted;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.deployment.DeploymentUrlChanged;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.QuerySideTestBase;
import io.tessera.query.TestEvents;
import io.tessera.query.TestEvents.Answer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The deployments read model: its projection of the deployment events into {@code deployments} and the
 * tenant's counters, read back through {@code /api/deployments}.
 */
@QuerySideIntegrationTest
class DeploymentReadModelIT extends QuerySideTestBase {

    private final JdbcClient admin = TestEvents.admin();

    @Test
    void createdDeploymentIsVisibleInListAndById() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-05-01T10:15:30.123456Z");
        kafka.publish(
                tenant, "dep-1", 0, time, new DeploymentCreated(tenant, "dep-1", "Web Shop", "https://shop", PENDING));

        JsonNode deployment = kafka.awaitOk(tenant, "/api/deployments/dep-1").get("data");

        assertThat(deployment.get("id").asString()).isEqualTo("dep-1");
        assertThat(deployment.get("tenant_id").asString()).isEqualTo(tenant);
        assertThat(deployment.get("project_name").asString()).isEqualTo("Web Shop");
        assertThat(deployment.get("status").asString()).isEqualTo("pending");
        assertThat(deployment.get("url").asString()).isEqualTo("https://shop");
        assertThat(Instant.parse(deployment.get("created_at").asString())).isEqualTo(time);
        Answer list = kafka.asViewer(tenant, "/api/deployments");
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
        DeploymentCreated created = new DeploymentCreated(tenant, "dep-1", "shop", null, PENDING);
        DeploymentStatusChanged building =
                new DeploymentStatusChanged(tenant, "dep-1", PENDING, DeploymentStatus.BUILDING);
        kafka.publish(tenant, tenant, 0, time, new TenantCreated(tenant, "Tenant", tenant, null));
        kafka.publish(tenant, "dep-1", 0, time, created);
        kafka.publish(tenant, "dep-1", 1, time.plusSeconds(1), building);
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(kafka.asViewer(tenant, "/api/deployments/dep-1")
                                .body()
                                .at("/data/status")
                                .asString())
                        .isEqualTo("building"));

        kafka.publish(tenant, "dep-1", 0, time, created);
        kafka.publish(tenant, "dep-1", 1, time.plusSeconds(1), building);
        kafka.publish(
                tenant,
                "dep-2",
                0,
                time.plusSeconds(2),
                new DeploymentCreated(tenant, "dep-2", "marker", null, PENDING));
        kafka.awaitOk(tenant, "/api/deployments/dep-2");

        JsonNode deployment =
                kafka.asViewer(tenant, "/api/deployments/dep-1").body().get("data");
        assertThat(deployment.get("status").asString()).isEqualTo("building");
        assertThat(deployment.get("version").asLong()).isEqualTo(1);
        JsonNode stats = kafka.asViewer(tenant, "/api/tenants/" + tenant + "/stats")
                .body()
                .get("data");
        assertThat(stats.at("/deployments/total").asLong()).isEqualTo(2);
        assertThat(stats.at("/deployments/by_status/building").asLong()).isEqualTo(1);
        assertThat(stats.at("/deployments/by_status/pending").asLong()).isEqualTo(1);
        assertThat(stats.at("/workflows/total").asLong()).isZero();
        // Quota usage counts the creations of the last hour only: these happened in 2024.
        assertThat(stats.at("/quotas/deployments_per_hour/used").isIntegralNumber())
                .isTrue();
        assertThat(stats.at("/quotas/deployments_per_hour/used").asLong()).isZero();
        assertThat(kafka.asViewer(tenant, "/api/deployments")
                        .body()
                        .at("/pagination/total")
                        .asLong())
                .isEqualTo(2);
    }

    @Test
    void deletedDeploymentLeavesListsAndCountersAndDoesNotComeBack() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-05-01T10:00:00Z");
        DeploymentCreated created = new DeploymentCreated(tenant, "dep-1", "shop", null, PENDING);
        kafka.publish(tenant, "dep-1", 0, time, created);
        kafka.publish(tenant, "dep-1", 1, time.plusSeconds(1), new DeploymentDeleted(tenant, "dep-1", PENDING));
        kafka.publish(tenant, "dep-1", 0, time, created);
        kafka.publish(
                tenant,
                "dep-2",
                0,
                time.plusSeconds(2),
                new DeploymentCreated(tenant, "dep-2", "marker", null, PENDING));
        kafka.awaitOk(tenant, "/api/deployments/dep-2");

        assertThat(kafka.asViewer(tenant, "/api/deployments/dep-1").status()).isEqualTo(404);
        assertThat(ids(kafka.asViewer(tenant, "/api/deployments"))).containsExactly("dep-2");
        assertThat(kafka.asViewer(tenant, "/api/tenants/" + tenant + "/stats")
                        .body()
                        .at("/data/deployments/total")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void filtersByStatusNameAndCreationTime() {
        String tenant = newTenant();
        Instant base = Instant.parse("2024-03-01T00:00:00Z");
        kafka.publish(tenant, "d1", 0, base, new DeploymentCreated(tenant, "d1", "Billing API", null, PENDING));
        kafka.publish(
                tenant,
                "d2",
                0,
                base.plusSeconds(60),
                new DeploymentCreated(tenant, "d2", "billing-ui", null, PENDING));
        kafka.publish(
                tenant,
                "d3",
                0,
                base.plusSeconds(120),
                new DeploymentCreated(tenant, "d3", "Search 100%", null, PENDING));
        kafka.publish(
                tenant,
                "d2",
                1,
                base.plusSeconds(180),
                new DeploymentStatusChanged(tenant, "d2", PENDING, DeploymentStatus.ACTIVE));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(kafka.asViewer(tenant, "/api/deployments/d2")
                                .body()
                                .at("/data/status")
                                .asString())
                        .isEqualTo("active"));

        assertThat(ids(kafka.asViewer(tenant, "/api/deployments?status=active")))
                .containsExactly("d2");
        assertThat(ids(kafka.asViewer(tenant, "/api/deployments?status=pending")))
                .containsExactly("d3", "d1");
        assertThat(ids(kafka.asViewer(tenant, "/api/deployments?q=BILLING"))).containsExactly("d2", "d1");
        assertThat(ids(kafka.asViewer(tenant, "/api/deployments?q=" + encode("100%"))))
                .containsExactly("d3");
        assertThat(ids(kafka.asViewer(tenant, "/api/deployments?q=" + encode("_"))))
                .isEmpty();
        assertThat(ids(kafka.asViewer(
                        tenant,
                        "/api/deployments?created_after="
                                + encode(base.plusSeconds(30).toString()))))
                .containsExactly("d3", "d2");
        assertThat(ids(kafka.asViewer(tenant, "/api/deployments?created_before=2024-03-01T00:01:30Z&sort=created_at")))
                .containsExactly("d1", "d2");
        assertThat(ids(kafka.asViewer(tenant, "/api/deployments?status=pending&q=search&created_after=2024-03-01")))
                .containsExactly("d3");
        assertThat(kafka.asViewer(tenant, "/api/deployments?status=exploded").status())
                .isEqualTo(400);
        assertThat(kafka.asViewer(tenant, "/api/deployments?created_after=yesterday")
                        .status())
                .isEqualTo(400);
        assertThat(kafka.asViewer(tenant, "/api/deployments?sort=name")
                        .body()
                        .at("/error/code")
                        .asString())
                .isEqualTo("VALIDATION_FAILED");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void changesApplyByVersionAndAStaleOneIsIgnored() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-05-01T10:00:00Z");
        kafka.publish(tenant, "dep-1", 0, time, new DeploymentCreated(tenant, "dep-1", "shop", "https://old", PENDING));
        kafka.publish(
                tenant, "dep-1", 1, time.plusSeconds(1), new DeploymentUrlChanged(tenant, "dep-1", "https://new"));
        kafka.publish(
                tenant,
                "dep-1",
                2,
                time.plusSeconds(2),
                new DeploymentStatusChanged(tenant, "dep-1", PENDING, DeploymentStatus.ACTIVE));
        kafka.publish(
                tenant, "dep-1", 1, time.plusSeconds(1), new DeploymentUrlChanged(tenant, "dep-1", "https://stale"));
        kafka.awaitApplied(tenant);

        Map<String, Object> row = admin.sql(
                        "SELECT status, url, version, updated_at FROM deployments WHERE tenant_id = ? AND id = ?")
                .params(tenant, "dep-1")
                .query()
                .singleRow();
        assertThat(row).containsEntry("status", "active").containsEntry("url", "https://new");
        assertThat(((Number) row.get("version")).longValue()).isEqualTo(2);
        JsonNode deployment = kafka.asViewer(tenant, "/api/deployments/dep-1").data();
        assertThat(deployment.get("url").asString()).isEqualTo("https://new");
        assertThat(deployment.get("status").asString()).isEqualTo("active");
        assertThat(Instant.parse(deployment.get("updated_at").asString())).isEqualTo(time.plusSeconds(2));
        JsonNode stats =
                kafka.asViewer(tenant, "/api/tenants/" + tenant + "/stats").data();
        assertThat(stats.at("/deployments/by_status/active").asLong()).isEqualTo(1);
        assertThat(stats.at("/deployments/by_status/pending").asLong()).isEqualTo(1);
    }

    @Test
    void aDeletionLeavesATombstoneThatANewerChangeCannotReopen() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-05-01T10:00:00Z");
        kafka.publish(tenant, "dep-1", 0, time, deploymentCreated(tenant, "dep-1"));
        kafka.publish(tenant, "dep-1", 1, time.plusSeconds(1), new DeploymentDeleted(tenant, "dep-1", PENDING));
        kafka.publish(
                tenant,
                "dep-1",
                2,
                time.plusSeconds(2),
                new DeploymentStatusChanged(tenant, "dep-1", PENDING, DeploymentStatus.ACTIVE));
        kafka.awaitApplied(tenant);

        Map<String, Object> row = admin.sql(
                        "SELECT status, deleted_at, version FROM deployments WHERE tenant_id = ? AND id = ?")
                .params(tenant, "dep-1")
                .query()
                .singleRow();
        assertThat(row).containsEntry("status", "pending");
        assertThat(row.get("deleted_at")).isNotNull();
        assertThat(((Number) row.get("version")).longValue()).isEqualTo(1);
        assertNotFound(kafka.asViewer(tenant, "/api/deployments/dep-1"));
        JsonNode stats =
                kafka.asViewer(tenant, "/api/tenants/" + tenant + "/stats").data();
        assertThat(stats.at("/deployments/total").asLong()).isEqualTo(1);
        assertThat(stats.at("/deployments/by_status/active").asLong()).isZero();
    }

    @Test
    void anotherTenantsEventsForTheSameIdTouchOnlyItsOwnRow() {
        String tenantA = newTenant();
        String tenantB = newTenant();
        Instant time = Instant.parse("2024-05-01T10:00:00Z");
        kafka.publish(tenantA, "dep-1", 0, time, new DeploymentCreated(tenantA, "dep-1", "a's", null, PENDING));
        kafka.publish(tenantB, "dep-1", 0, time, new DeploymentCreated(tenantB, "dep-1", "b's", null, PENDING));
        kafka.publish(tenantB, "dep-1", 1, time.plusSeconds(1), new DeploymentDeleted(tenantB, "dep-1", PENDING));
        kafka.publish(tenantB, "marker", 0, time, deploymentCreated(tenantB, "marker"));
        kafka.awaitOk(tenantA, "/api/deployments/dep-1");
        kafka.awaitOk(tenantB, "/api/deployments/marker");

        assertThat(kafka.asViewer(tenantA, "/api/deployments/dep-1")
                        .data()
                        .get("project_name")
                        .asString())
                .isEqualTo("a's");
        assertNotFound(kafka.asViewer(tenantB, "/api/deployments/dep-1"));
        assertThat(ids(kafka.asViewer(tenantA, "/api/deployments"))).containsExactly("dep-1");
        assertThat(ids(kafka.asViewer(tenantB, "/api/deployments"))).containsExactly("marker");
        assertThat(admin.sql("SELECT tenant_id FROM deployments WHERE id = 'dep-1' AND deleted_at IS NULL"
                                + " AND tenant_id IN (?, ?)")
                        .params(tenantA, tenantB)
                        .query(String.class)
                        .list())
                .containsExactly(tenantA);
    }
}
