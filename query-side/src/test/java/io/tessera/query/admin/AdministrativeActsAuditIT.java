package io.tessera.query.admin;

import static io.tessera.query.TestEvents.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.user.Role;
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
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The query side's administrative acts, which are no aggregate's event, land in the audit log of the tenant they
 * touch with their actor: a dead-letter retry by the tenant's admin, a rebuild of the tenant's rows by a platform
 * admin. The log pages through them and the events one by one, each entry once.
 */
@QuerySideIntegrationTest
@TestPropertySource(properties = {"tessera.cache.enabled=false", "tessera.rate-limit.requests-per-minute=100000"})
class AdministrativeActsAuditIT extends QuerySideTestBase {

    @Test
    void retriesAndRebuildsAreInTheTenantsAuditLogWithTheirActor() {
        String tenant = TestEvents.newTenant();
        long created = kafka.publish(tenant, tenant, 0, Instant.now(), new TenantCreated(tenant, tenant, tenant, null));
        await().atMost(PATIENCE).until(() -> auditOf(tenant).size() == 1);

        ObjectNode stuck = TestEvents.cloudEvent(
                tenant,
                "dep-stuck",
                0,
                Instant.now(),
                new DeploymentCreated(tenant, "dep-stuck", "stuck", null, DeploymentStatus.PENDING));
        String letter = UUID.randomUUID().toString();
        TestEvents.admin()
                .sql("""
                        INSERT INTO dead_letters (id, tenant_id, aggregate_id, sequence, position, event_id, type, status,
                                                  error, record, origin)
                        VALUES (:id, :tenant, 'dep-stuck', 0, :position, :eventId, :type, 'failed', 'a test', :record,
                                'test')
                        """)
                .param("id", letter)
                .param("tenant", tenant)
                .param("position", Long.parseLong(stuck.get("position").asString()))
                .param("eventId", stuck.get("id").asString())
                .param("type", stuck.get("type").asString())
                .param("record", TestEvents.signed(stuck))
                .update();
        String tenantAdmin = TestEvents.TOKENS.issue(
                "ada-admin", tenant, Set.of(Role.ADMIN), Set.of(), false, Duration.ofMinutes(5));
        Answer retried = kafka.post(tenantAdmin, "/api/admin/dead-letters/" + letter + "/retry");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.data().path("applied").asInt()).isEqualTo(1);

        String operator =
                TestEvents.TOKENS.issue("ops-olga", "platform", Set.of(), Set.of(), true, Duration.ofMinutes(5));
        Answer rebuild = kafka.post(operator, "/api/admin/projections/deployments/rebuild?tenant=" + tenant);
        assertThat(rebuild.status()).isEqualTo(202);

        List<JsonNode> entries = auditOf(tenant);
        assertThat(entries)
                .extracting(e ->
                        e.path("action").asString() + " by " + e.path("actor").asString())
                .containsExactly(
                        "projection.rebuild-started by ops-olga",
                        "dead-letter.retried by ada-admin",
                        "deployment.created by integration-test",
                        "tenant.created by integration-test");
        assertThat(entries.get(0).path("resource_id").asString()).isEqualTo("deployments");
        assertThat(entries.get(1).path("resource_id").asString()).isEqualTo(letter);
        assertThat(entries.get(3).path("position").asLong()).isEqualTo(created);

        String otherTenant = TestEvents.newTenant();
        assertThat(kafka.get(TestEvents.token(otherTenant, Role.AUDITOR), "/api/audit")
                        .body()
                        .get("data"))
                .isEmpty();
    }

    /** The whole audit log, newest first, read one entry a page through its cursors. */
    private List<JsonNode> auditOf(String tenant) {
        String auditor = TestEvents.token(tenant, Role.AUDITOR);
        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        do {
            Answer page =
                    kafka.get(auditor, "/api/audit?limit=1" + (cursor == null ? "" : "&cursor=" + cursor), Map.of());
            assertThat(page.status()).isEqualTo(200);
            page.body().get("data").forEach(entries::add);
            JsonNode next = page.body().at("/pagination/cursor");
            cursor = next.isNull() || next.isMissingNode() ? null : next.asString();
        } while (cursor != null);
        return entries;
    }
}
