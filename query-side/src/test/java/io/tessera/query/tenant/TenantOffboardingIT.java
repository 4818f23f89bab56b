package io.tessera.query.tenant;

import static io.tessera.query.TestEvents.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.tenant.TenantOffboarded;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * A suspended tenant stays readable; an offboarded one leaves nothing readable behind but the offboarding
 * event in its audit, while another tenant is untouched. CloudEvents published as the command side does.
 */
@QuerySideIntegrationTest
@TestPropertySource(properties = "tessera.query.min-position-timeout=10s")
class TenantOffboardingIT extends QuerySideTestBase {

    private static final Instant TIME = Instant.parse("2024-07-01T09:00:00Z");

    private final JdbcClient jdbc = TestEvents.admin();

    @Test
    void suspendedTenantStaysReadableAndOffboardedTenantLeavesNothingReadable() {
        String tenant = newTenant();
        String other = newTenant();
        seed(tenant);
        seed(other);
        awaitOk(tenant, "/api/deployments/dep-1");
        awaitOk(other, "/api/deployments/dep-1");
        await().atMost(PATIENCE).until(() -> ids(get(tenant, "/api/users")).size() == 1);

        publish(tenant, tenant, 1, new TenantSuspended(tenant));
        await().atMost(PATIENCE)
                .until(() -> "suspended"
                        .equals(get(tenant, "/api/tenants")
                                .body()
                                .at("/data/0/status")
                                .asString()));
        assertThat(get(tenant, "/api/deployments/dep-1").status()).isEqualTo(200);
        assertThat(get(tenant, "/api/tenants/" + tenant + "/stats").status()).isEqualTo(200);

        String ownToken = TestEvents.token(tenant, Role.VIEWER);
        assertThat(kafka.get(ownToken, "/api/deployments").status()).isEqualTo(200);
        jdbc.sql("""
                        INSERT INTO dead_letters (id, tenant_id, aggregate_id, sequence, position, event_id, type, status,
                                                  error, record, origin)
                        VALUES (:id, :tenant, 'dep-9', 0, 1, :id, 'tessera.deployment.created.v1', 'failed',
                                'ann@example.com is refused', '{"project_name": "ann@example.com"}', 'test')
                        """)
                .param("id", UUID.randomUUID().toString())
                .param("tenant", tenant)
                .update();
        jdbc.sql("""
                        INSERT INTO administrative_acts (tenant_id, position, actor, action, resource_type, resource_id)
                        VALUES (:tenant, 0, 'ops', 'projection.rebuild-started', 'projection', 'deployments')
                        """).param("tenant", tenant).update();

        long offboarding = publish(tenant, tenant, 2, new TenantOffboarded(tenant));
        await().atMost(PATIENCE)
                .until(() -> get(tenant, "/api/tenants/" + tenant + "/stats").status() == 404);

        assertEmptyList(get(tenant, "/api/deployments", offboarding));
        assertEmptyList(get(tenant, "/api/workflows"));
        assertEmptyList(get(tenant, "/api/users"));
        assertNotFound(get(tenant, "/api/deployments/dep-1"));
        assertNotFound(get(tenant, "/api/workflows/wf-1"));
        assertNotFound(get(tenant, "/api/tenants/" + tenant + "/stats"));
        Answer events = getAs(Role.AUDITOR, tenant, "/api/events");
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.body().get("data")).hasSize(1);
        assertThat(events.body().at("/data/0/type").asString()).isEqualTo("tessera.tenant.offboarded.v1");
        assertThat(events.body().at("/data/0/position").asLong()).isEqualTo(offboarding);
        Answer audit = getAs(Role.AUDITOR, tenant, "/api/audit");
        assertThat(audit.body().get("data")).hasSize(1);
        assertThat(audit.body().at("/data/0/action").asString()).isEqualTo("tenant.offboarded");
        assertThat(get(tenant, "/api/tenants").body().at("/data/0/status").asString())
                .isEqualTo("offboarded");

        long late = publish(tenant, "dep-late", 0, deployment(tenant, "dep-late"));
        publish(tenant, "dep-1", 0, deployment(tenant, "dep-1"));
        long redelivered = publish(tenant, "wf-2", 0, workflow(tenant, "wf-2"));
        assertEmptyList(get(tenant, "/api/deployments", Math.max(late, redelivered)));
        assertEmptyList(get(tenant, "/api/workflows"));
        for (String table : List.of(
                "deployments",
                "workflows",
                "users",
                "tenant_stats",
                "dead_letters",
                "projection_positions",
                "administrative_acts")) {
            assertThat(jdbc.sql("SELECT count(*) FROM " + table + " WHERE tenant_id = :tenant")
                            .param("tenant", tenant)
                            .query(Long.class)
                            .single())
                    .as(table)
                    .isZero();
        }
        assertThat(jdbc.sql("SELECT type FROM event_log WHERE tenant_id = :tenant")
                        .param("tenant", tenant)
                        .query(String.class)
                        .list())
                .containsExactly("tessera.tenant.offboarded.v1");

        Answer refused = kafka.get(ownToken, "/api/deployments");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body().at("/error/code").asString()).isEqualTo("UNAUTHENTICATED");
        assertThat(kafka.get(TestEvents.token(other, Role.VIEWER), "/api/deployments")
                        .status())
                .isEqualTo(200);

        assertThat(ids(get(other, "/api/deployments"))).containsExactly("dep-1");
        assertThat(ids(get(other, "/api/workflows"))).containsExactly("wf-1");
        assertThat(ids(get(other, "/api/users"))).hasSize(1);
        Answer otherStats = get(other, "/api/tenants/" + other + "/stats");
        assertThat(otherStats.status()).isEqualTo(200);
        assertThat(otherStats.body().at("/data/deployments/total").asLong()).isEqualTo(1);
        assertThat(getAs(Role.AUDITOR, other, "/api/events").body().get("data")).hasSize(4);
    }

    private void seed(String tenant) {
        publish(tenant, tenant, 0, new TenantCreated(tenant, "Tenant " + tenant, tenant, null));
        publish(tenant, "dep-1", 0, deployment(tenant, "dep-1"));
        publish(tenant, "wf-1", 0, workflow(tenant, "wf-1"));
        publish(tenant, "user-1", 0, new UserCreated(tenant, "user-1", "ann@" + tenant + ".example", Role.EDITOR));
    }

    private static DeploymentCreated deployment(String tenant, String id) {
        return new DeploymentCreated(tenant, id, "project " + id, null, DeploymentStatus.PENDING);
    }

    private static WorkflowCreated workflow(String tenant, String id) {
        return new WorkflowCreated(tenant, id, "flow " + id, Map.of("steps", 1), WorkflowStatus.DRAFT);
    }

    private static String newTenant() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** Returns the event's global position. */
    private long publish(String tenant, String subject, long sequence, Object event) {
        return kafka.publish(tenant, subject, sequence, TIME.plusSeconds(sequence), event);
    }

    /**
     * Reads as a caller from another home tenant who may act for this one: the tenant's own tokens are refused
     * once it is offboarded, and what is left readable is what such a caller still sees.
     */
    private Answer get(String tenant, String path) {
        return getAs(Role.VIEWER, tenant, path);
    }

    private Answer get(String tenant, String path, long minPosition) {
        return kafka.get(
                steward(tenant, Role.VIEWER),
                path,
                Map.of("X-Min-Position", Long.toString(minPosition), "X-Tenant-ID", tenant));
    }

    private Answer getAs(Role role, String tenant, String path) {
        return kafka.get(steward(tenant, role), path, Map.of("X-Tenant-ID", tenant));
    }

    private static String steward(String tenant, Role role) {
        return TestEvents.TOKENS.issue(
                "steward", "steward-home", Set.of(role), Set.of(tenant), false, Duration.ofMinutes(30));
    }

    private void awaitOk(String tenant, String path) {
        await().atMost(PATIENCE).until(() -> get(tenant, path).status() == 200);
    }

    private static List<String> ids(Answer response) {
        assertThat(response.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.body().get("data").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    private static void assertEmptyList(Answer response) {
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("data")).isEmpty();
        assertThat(response.body().at("/pagination/total").asLong()).isZero();
    }

    private static void assertNotFound(Answer response) {
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body().at("/error/code").asString()).isEqualTo("NOT_FOUND");
    }
}
