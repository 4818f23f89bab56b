package io.tessera.query.tenant;

import static io.tessera.events.deployment.DeploymentStatus.PENDING;
import static io.tessera.query.TestEvents.PATIENCE;
import static io.tessera.query.TestEvents.assertNotFound;
import static io.tessera.query.TestEvents.assertTenantForbidden;
import static io.tessera.query.TestEvents.cloudEvent;
import static io.tessera.query.TestEvents.ids;
import static io.tessera.query.TestEvents.newTenant;
import static io.tessera.query.TestEvents.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.tenant.TenantQuotas;
import io.tessera.events.tenant.TenantQuotasChanged;
import io.tessera.events.tenant.TenantReactivated;
import io.tessera.events.tenant.TenantSuspended;
import io.tessera.events.user.Role;
import io.tessera.events.user.UserCreated;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.QuerySideTestBase;
import io.tessera.query.TestEvents;
import io.tessera.query.TestEvents.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tenants read model and the tenant's view of the others: {@code /api/tenants}, its stats, and what one
 * tenant can and cannot see of another.
 */
@QuerySideIntegrationTest
class TenantReadModelIT extends QuerySideTestBase {

    private final JdbcClient admin = TestEvents.admin();

    @Test
    void anotherTenantSeesNothing() {
        String tenantA = newTenant();
        String tenantB = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        kafka.publish(tenantA, tenantA, 0, time, new TenantCreated(tenantA, "A", tenantA, null));
        kafka.publish(
                tenantA, "secret-dep", 0, time, new DeploymentCreated(tenantA, "secret-dep", "secret", null, PENDING));
        kafka.publish(
                tenantA,
                "secret-wf",
                0,
                time,
                new WorkflowCreated(tenantA, "secret-wf", "secret", Map.of(), WorkflowStatus.DRAFT));
        kafka.publish(tenantB, tenantB, 0, time, new TenantCreated(tenantB, "B", tenantB, null));
        kafka.awaitOk(tenantA, "/api/deployments/secret-dep");
        kafka.awaitOk(tenantB, "/api/tenants/" + tenantB + "/stats");

        assertNotFound(kafka.asViewer(tenantB, "/api/deployments/secret-dep"));
        assertThat(ids(kafka.asViewer(tenantB, "/api/deployments"))).isEmpty();
        assertThat(ids(kafka.asViewer(tenantB, "/api/deployments?q=secret"))).isEmpty();
        assertThat(ids(kafka.asViewer(tenantB, "/api/workflows"))).isEmpty();
        assertThat(ids(kafka.asViewer(tenantB, "/api/tenants"))).containsExactly(tenantB);
        assertTenantForbidden(kafka.asViewer(tenantB, "/api/tenants/" + tenantA + "/stats"));
        assertTenantForbidden(kafka.asViewer(tenantB, "/api/tenants/no-such-tenant/stats"));
        assertTenantForbidden(kafka.asViewer(tenantB, "/api/deployments/secret-dep", Map.of("X-Tenant-ID", tenantA)));
        assertTenantForbidden(kafka.asViewer(tenantB, "/api/deployments?tenant_id=" + tenantA));
        assertThat(kafka.asViewer(tenantB, "/api/deployments/secret-dep").body().toString())
                .doesNotContain(tenantA);
    }

    @Test
    void multiTenantCallerSwitchesTenantByHeader() {
        String tenantA = newTenant();
        String tenantB = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        kafka.publish(tenantA, "dep-a", 0, time, new DeploymentCreated(tenantA, "dep-a", "a", null, PENDING));
        kafka.awaitOk(tenantA, "/api/deployments/dep-a");
        String token = TestEvents.TOKENS.issue(
                "admin", tenantB, Set.of(Role.VIEWER), Set.of(tenantA), false, Duration.ofMinutes(30));

        Answer viaHeader = kafka.get(token, "/api/deployments/dep-a", Map.of("X-Tenant-ID", tenantA));
        assertThat(viaHeader.status()).isEqualTo(200);
        assertThat(viaHeader.body().get("tenant_id").asString()).isEqualTo(tenantA);
        assertThat(kafka.get(token, "/api/tenants/" + tenantA + "/stats", Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(kafka.get(token, "/api/deployments/dep-a", Map.of()).status())
                .isEqualTo(404);
    }

    @Test
    void workflowsUsersAndTenantsAreProjected() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        kafka.publish(tenant, tenant, 0, time, new TenantCreated(tenant, "Acme Corp", tenant + "-slug", null));
        kafka.publish(
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
        kafka.publish(tenant, "user-1", 0, time, new UserCreated(tenant, "user-1", "ann@example.com", Role.EDITOR));
        kafka.awaitOk(tenant, "/api/workflows/wf-1");
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(ids(kafka.asViewer(tenant, "/api/users"))).containsExactly("user-1"));

        JsonNode workflow = kafka.asViewer(tenant, "/api/workflows/wf-1").body().get("data");
        assertThat(workflow.get("name").asString()).isEqualTo("Nightly build");
        assertThat(workflow.get("status").asString()).isEqualTo("draft");
        assertThat(workflow.at("/config/retries").asInt()).isEqualTo(3);
        assertThat(workflow.at("/config/steps/1").asString()).isEqualTo("test");
        assertThat(kafka.asViewer(tenant, "/api/users")
                        .body()
                        .at("/data/0/email")
                        .asString())
                .isEqualTo("ann@example.com");
        JsonNode tenants = kafka.asViewer(tenant, "/api/tenants").body().get("data");
        assertThat(tenants.at("/0/name").asString()).isEqualTo("Acme Corp");
        assertThat(tenants.at("/0/quotas/deployments_per_hour").asInt()).isEqualTo(100);
        JsonNode stats = kafka.asViewer(tenant, "/api/tenants/" + tenant + "/stats")
                .body()
                .get("data");
        assertThat(stats.at("/workflows/by_status/draft").asLong()).isEqualTo(1);
        assertThat(stats.at("/users/total").asLong()).isEqualTo(1);
        assertThat(kafka.asViewer(tenant, "/api/workflows?status=pending").status())
                .isEqualTo(400);
    }

    @Test
    void quotasAndStatusChangeByVersionAndStaleChangesAreIgnored() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        kafka.publish(
                tenant, tenant, 0, time, new TenantCreated(tenant, "Acme", tenant + "-slug", new TenantQuotas(10, 20)));
        kafka.publish(
                tenant, tenant, 1, time.plusSeconds(1), new TenantQuotasChanged(tenant, new TenantQuotas(50, 60)));
        kafka.publish(tenant, tenant, 2, time.plusSeconds(2), new TenantSuspended(tenant));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(tenantRow(tenant)).containsEntry("status", "suspended"));

        kafka.publish(tenant, tenant, 3, time.plusSeconds(3), new TenantReactivated(tenant));
        kafka.publish(tenant, tenant, 1, time.plusSeconds(1), new TenantQuotasChanged(tenant, new TenantQuotas(1, 1)));
        kafka.publish(tenant, tenant, 2, time.plusSeconds(2), new TenantSuspended(tenant));
        kafka.awaitApplied(tenant);

        Map<String, Object> row = tenantRow(tenant);
        assertThat(row)
                .containsEntry("status", "active")
                .containsEntry("deployments_per_hour", 50)
                .containsEntry("workflows_per_hour", 60);
        assertThat(((Number) row.get("version")).longValue()).isEqualTo(3);
        JsonNode view = kafka.asViewer(tenant, "/api/tenants").data().get(0);
        assertThat(view.get("status").asString()).isEqualTo("active");
        assertThat(view.at("/quotas/deployments_per_hour").asInt()).isEqualTo(50);
        assertThat(view.at("/quotas/workflows_per_hour").asInt()).isEqualTo(60);
        assertThat(Instant.parse(view.get("updated_at").asString())).isEqualTo(time.plusSeconds(3));
        assertThat(kafka.asViewer(tenant, "/api/tenants/" + tenant + "/stats")
                        .data()
                        .at("/quotas/deployments_per_hour/limit")
                        .asInt())
                .isEqualTo(50);
    }

    @Test
    void aRedeliveredCreationKeepsTheFirstRow() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        ObjectNode created = cloudEvent(tenant, tenant, 0, time, new TenantCreated(tenant, "First", tenant, null));
        kafka.publish(created);
        kafka.publish(tenant, tenant, 1, time.plusSeconds(1), new TenantQuotasChanged(tenant, new TenantQuotas(7, 8)));
        kafka.publish(created);
        kafka.awaitApplied(tenant);

        Map<String, Object> row = tenantRow(tenant);
        assertThat(row).containsEntry("name", "First").containsEntry("deployments_per_hour", 7);
        assertThat(((Number) row.get("version")).longValue()).isEqualTo(1);
        assertThat(ids(kafka.asViewer(tenant, "/api/tenants"))).containsExactly(tenant);
    }

    private Map<String, Object> tenantRow(String tenant) {
        return admin.sql("""
                        SELECT name, status, deployments_per_hour, workflows_per_hour, version FROM tenants
                        WHERE id = ?
                        """).param(tenant).query().singleRow();
    }
}
