package io.tessera.query.workflow;

import static io.tessera.query.TestEvents.PATIENCE;
import static io.tessera.query.TestEvents.assertNotFound;
import static io.tessera.query.TestEvents.cloudEvent;
import static io.tessera.query.TestEvents.ids;
import static io.tessera.query.TestEvents.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.workflow.WorkflowConfigChanged;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowDeleted;
import io.tessera.events.workflow.WorkflowRenamed;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.events.workflow.WorkflowStatusChanged;
import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.QuerySideTestBase;
import io.tessera.query.TestEvents;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The workflows read model: its projection of the workflow events into {@code workflows}, read back through
 * {@code /api/workflows}.
 */
@QuerySideIntegrationTest
class WorkflowReadModelIT extends QuerySideTestBase {

    private final JdbcClient admin = TestEvents.admin();

    @Test
    void workflowChangesApplyInOrderOfSequence() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        kafka.publish(
                tenant,
                "wf",
                0,
                time,
                new WorkflowCreated(tenant, "wf", "old name", Map.of("a", 1), WorkflowStatus.DRAFT));
        kafka.publish(tenant, "wf", 1, time.plusSeconds(1), new WorkflowRenamed(tenant, "wf", "new name"));
        kafka.publish(tenant, "wf", 2, time.plusSeconds(2), new WorkflowConfigChanged(tenant, "wf", Map.of("b", true)));
        kafka.publish(
                tenant,
                "wf",
                3,
                time.plusSeconds(3),
                new WorkflowStatusChanged(tenant, "wf", WorkflowStatus.DRAFT, WorkflowStatus.ACTIVE));
        kafka.publish(tenant, "wf", 1, time.plusSeconds(1), new WorkflowRenamed(tenant, "wf", "stale"));
        kafka.awaitApplied(tenant);

        JsonNode workflow = kafka.asViewer(tenant, "/api/workflows/wf").body().get("data");
        assertThat(workflow.get("name").asString()).isEqualTo("new name");
        assertThat(workflow.get("status").asString()).isEqualTo("active");
        assertThat(workflow.get("config").toString()).isEqualTo("{\"b\":true}");
        assertThat(workflow.get("version").asLong()).isEqualTo(3);
        assertThat(Instant.parse(workflow.get("updated_at").asString())).isEqualTo(time.plusSeconds(3));
        assertThat(ids(kafka.asViewer(tenant, "/api/workflows?status=active&q=NEW")))
                .containsExactly("wf");
        JsonNode stats = kafka.asViewer(tenant, "/api/tenants/" + tenant + "/stats")
                .body()
                .get("data");
        assertThat(stats.at("/workflows/by_status/active").asLong()).isEqualTo(1);
        assertThat(stats.at("/workflows/by_status/draft").asLong()).isZero();
    }

    @Test
    void deletedWorkflowLeavesListsAndCountersAndARedeliveredCreationDoesNotBringItBack() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        ObjectNode created = cloudEvent(
                tenant, "wf", 0, time, new WorkflowCreated(tenant, "wf", "nightly", Map.of(), WorkflowStatus.ACTIVE));
        kafka.publish(created);
        kafka.publish(tenant, "wf", 1, time.plusSeconds(1), new WorkflowDeleted(tenant, "wf", WorkflowStatus.ACTIVE));
        kafka.publish(created);
        kafka.awaitApplied(tenant);

        Map<String, Object> row = admin.sql("SELECT deleted_at, version FROM workflows WHERE tenant_id = ? AND id = ?")
                .params(tenant, "wf")
                .query()
                .singleRow();
        assertThat(row.get("deleted_at")).isNotNull();
        assertThat(((Number) row.get("version")).longValue()).isEqualTo(1);
        assertNotFound(kafka.asViewer(tenant, "/api/workflows/wf"));
        assertThat(ids(kafka.asViewer(tenant, "/api/workflows"))).isEmpty();
        JsonNode stats =
                kafka.asViewer(tenant, "/api/tenants/" + tenant + "/stats").data();
        assertThat(stats.at("/workflows/total").asLong()).isZero();
        assertThat(stats.at("/workflows/by_status/active").asLong()).isZero();
    }

    @Test
    void anotherTenantsEventsForTheSameIdTouchOnlyItsOwnRow() {
        String tenantA = newTenant();
        String tenantB = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        kafka.publish(
                tenantA, "wf", 0, time, new WorkflowCreated(tenantA, "wf", "a's", Map.of(), WorkflowStatus.DRAFT));
        kafka.publish(
                tenantB, "wf", 0, time, new WorkflowCreated(tenantB, "wf", "b's", Map.of(), WorkflowStatus.DRAFT));
        kafka.publish(tenantB, "wf", 1, time.plusSeconds(1), new WorkflowRenamed(tenantB, "wf", "renamed"));
        kafka.awaitOk(tenantA, "/api/workflows/wf");
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(kafka.asViewer(tenantB, "/api/workflows/wf")
                                .body()
                                .at("/data/name")
                                .asString())
                        .isEqualTo("renamed"));

        assertThat(kafka.asViewer(tenantA, "/api/workflows/wf")
                        .data()
                        .get("name")
                        .asString())
                .isEqualTo("a's");
        assertThat(admin.sql("SELECT version FROM workflows WHERE tenant_id = ? AND id = 'wf'")
                        .param(tenantA)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(ids(kafka.asViewer(tenantB, "/api/workflows?q=a's"))).isEmpty();
    }
}
