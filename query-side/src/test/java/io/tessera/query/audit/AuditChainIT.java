package io.tessera.query.audit;

import static io.tessera.query.TestEvents.PATIENCE;
import static io.tessera.query.TestEvents.cloudEvent;
import static io.tessera.query.TestEvents.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.audit.CommandRejected;
import io.tessera.events.client.ClientRegistered;
import io.tessera.events.client.ClientRevoked;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentCreatedV1;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.user.Role;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.QuerySideTestBase;
import io.tessera.query.TestEvents;
import io.tessera.query.TestEvents.Answer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tamper-evident audit trail on real PostgreSQL and Kafka: the chain the projection keeps, verify
 * walking it and finding a row edited or removed in the database exactly where it was touched, rejected
 * commands in the audit, and a log that mixes both versions of {@code deployment.created}.
 */
@QuerySideIntegrationTest
class AuditChainIT extends QuerySideTestBase {

    private final JdbcClient jdbc = TestEvents.admin();

    @Test
    void verifyWalksTheChainAndFailsExactlyAtTheEditedRow() {
        String tenant = newTenant();
        List<ObjectNode> published = publishHistory(tenant);
        awaitEntries(tenant, published.size());

        JsonNode verdict = verify(tenant);
        assertThat(verdict.get("ok").asBoolean()).as(verdict.toString()).isTrue();
        assertThat(verdict.get("entries_checked").asLong()).isEqualTo(published.size());
        long last = published.get(published.size() - 1).get("position").asLong();
        assertThat(verdict.get("head_position").asLong()).isEqualTo(last);
        assertThat(verdict.get("broken_link").isNull()).isTrue();
        List<JsonNode> audit = auditOldestFirst(tenant);
        assertThat(audit.get(0).get("previous_hash").asString()).isEqualTo(AuditChain.GENESIS);
        for (int i = 1; i < audit.size(); i++) {
            assertThat(audit.get(i).get("previous_hash").asString())
                    .isEqualTo(audit.get(i - 1).get("hash").asString());
        }
        assertThat(audit.get(audit.size() - 1).get("hash").asString())
                .isEqualTo(verdict.get("head_hash").asString());

        // A redelivery of an event already in the log changes nothing in the chain.
        publish(published.get(2));
        publish(tenant, "marker", 0, Instant.parse("2024-06-01T09:00:00Z"), created(tenant, "marker"));
        awaitEntries(tenant, published.size() + 1);
        assertThat(verify(tenant).get("ok").asBoolean()).isTrue();

        long edited = published.get(2).get("position").asLong();
        jdbc.sql("UPDATE query_side.event_log SET data = jsonb_set(data, '{to}', '\"cancelled\"')"
                        + " WHERE tenant_id = :tenantId AND position = :position")
                .param("tenantId", tenant)
                .param("position", edited)
                .update();

        JsonNode broken = verify(tenant);
        assertThat(broken.get("ok").asBoolean()).isFalse();
        assertThat(broken.get("entries_checked").asLong()).isEqualTo(2);
        assertThat(broken.at("/broken_link/position").asLong()).isEqualTo(edited);
        assertThat(broken.at("/broken_link/event_id").asString())
                .isEqualTo(published.get(2).get("id").asString());
        assertThat(broken.at("/broken_link/problem").asString()).isEqualTo("hash");
        assertThat(broken.at("/broken_link/found").asString())
                .isEqualTo(audit.get(2).get("hash").asString());
        assertThat(broken.at("/broken_link/expected").asString())
                .hasSize(64)
                .isNotEqualTo(broken.at("/broken_link/found").asString());
    }

    @Test
    void aRemovedRowBreaksTheLinkOfTheRowAfterIt() {
        String tenant = newTenant();
        List<ObjectNode> published = publishHistory(tenant);
        awaitEntries(tenant, published.size());
        List<JsonNode> audit = auditOldestFirst(tenant);

        jdbc.sql("DELETE FROM query_side.event_log WHERE tenant_id = :tenantId AND position = :position")
                .param("tenantId", tenant)
                .param("position", published.get(1).get("position").asLong())
                .update();

        JsonNode broken = verify(tenant);
        assertThat(broken.get("ok").asBoolean()).isFalse();
        assertThat(broken.at("/broken_link/position").asLong())
                .isEqualTo(published.get(2).get("position").asLong());
        assertThat(broken.at("/broken_link/problem").asString()).isEqualTo("previous_hash");
        assertThat(broken.at("/broken_link/expected").asString())
                .isEqualTo(audit.get(0).get("hash").asString());
        assertThat(broken.at("/broken_link/found").asString())
                .isEqualTo(audit.get(1).get("hash").asString());
    }

    @Test
    void rejectedCommandsAreAuditedWithTheirReasonAndVerifyIsForAuditorsOnly() {
        String tenant = newTenant();
        publishHistory(tenant);
        awaitEntries(tenant, 5);

        JsonNode rejected = auditOldestFirst(tenant).stream()
                .filter(entry -> entry.get("outcome").asString().equals("rejected"))
                .findFirst()
                .orElseThrow();
        assertThat(rejected.get("action").asString()).isEqualTo("UpdateDeployment");
        assertThat(rejected.get("resource_type").asString()).isEqualTo("deployment");
        assertThat(rejected.get("resource_id").asString()).isEqualTo("dep-1");
        assertThat(rejected.get("error_code").asString()).isEqualTo("CONFLICT");
        assertThat(rejected.get("reason").asString()).isEqualTo("A deployment cannot move from building to pending");
        assertThat(rejected.get("actor").asString()).isEqualTo("mallory");
        assertThat(rejected.get("command_id").asString()).isEqualTo("cmd-rejected");
        JsonNode accepted = auditOldestFirst(tenant).get(0);
        assertThat(accepted.get("outcome").asString()).isEqualTo("accepted");
        assertThat(accepted.get("error_code").isNull()).isTrue();
        assertThat(get(Role.AUDITOR, tenant, "/api/audit?resource_id=dep-1")
                        .body()
                        .get("data")
                        .size())
                .isEqualTo(4);

        for (Role role : List.of(Role.VIEWER, Role.EDITOR, Role.ADMIN)) {
            Answer refused = get(role, tenant, "/api/audit/verify");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body().at("/error/code").asString()).isEqualTo("FORBIDDEN");
        }
        assertThat(verify(newTenant()).get("entries_checked").asLong()).isZero();
    }

    @Test
    void registeringAndRevokingAClientAreInTheTenantsAuditWithTheirActors() {
        String tenant = newTenant();
        String clientId = tenant + ".ci-bot";
        Instant t0 = Instant.parse("2024-06-01T08:00:00Z");
        ObjectNode registered =
                cloudEvent(tenant, clientId, 0, t0, new ClientRegistered(tenant, clientId, List.of(Role.EDITOR)));
        registered.put("actor", "platform-operator");
        publish(registered);
        ObjectNode revoked = cloudEvent(tenant, clientId, 1, t0.plusSeconds(1), new ClientRevoked(tenant, clientId));
        revoked.put("actor", "ada");
        publish(revoked);
        awaitEntries(tenant, 2);

        List<JsonNode> audit = auditOldestFirst(tenant);
        assertThat(audit)
                .extracting(entry -> entry.get("action").asString())
                .containsExactly("client.registered", "client.revoked");
        assertThat(audit)
                .extracting(entry -> entry.get("actor").asString())
                .containsExactly("platform-operator", "ada");
        assertThat(audit).allSatisfy(entry -> {
            assertThat(entry.get("resource_type").asString()).isEqualTo("client");
            assertThat(entry.get("resource_id").asString()).isEqualTo(clientId);
            assertThat(entry.get("outcome").asString()).isEqualTo("accepted");
        });
        assertThat(verify(tenant).get("ok").asBoolean()).isTrue();
    }

    @Test
    void aLogMixingBothVersionsOfDeploymentCreatedIsProjectedAndFoldedAlike() {
        String tenant = newTenant();
        Instant t0 = Instant.parse("2024-06-01T08:00:00Z");
        publish(
                tenant,
                "old-1",
                0,
                t0,
                new DeploymentCreatedV1(tenant, "old-1", "legacy shop", "https://old", DeploymentStatus.PENDING));
        publish(
                tenant,
                "old-1",
                1,
                t0.plusSeconds(1),
                new DeploymentStatusChanged(tenant, "old-1", DeploymentStatus.PENDING, DeploymentStatus.BUILDING));
        publish(tenant, "new-1", 0, t0.plusSeconds(2), created(tenant, "new-1"));
        awaitEntries(tenant, 3);

        for (String id : List.of("old-1", "new-1")) {
            JsonNode deployment = await().atMost(PATIENCE)
                    .until(() -> get(Role.VIEWER, tenant, "/api/deployments/" + id), r -> r.status() == 200)
                    .body()
                    .get("data");
            assertThat(deployment.get("project_name").asString())
                    .isEqualTo(id.equals("old-1") ? "legacy shop" : "shop new-1");
        }
        JsonNode history = get(Role.VIEWER, tenant, "/api/deployments/old-1/history")
                .body()
                .get("data");
        assertThat(history.at("/events/0/type").asString()).isEqualTo("tessera.deployment.created.v1");
        assertThat(history.at("/events/0/data/project_name").asString()).isEqualTo("legacy shop");
        assertThat(history.at("/state/project_name").asString()).isEqualTo("legacy shop");
        assertThat(history.at("/state/status").asString()).isEqualTo("building");
        JsonNode newer = get(Role.VIEWER, tenant, "/api/deployments/new-1/history")
                .body()
                .get("data");
        assertThat(newer.at("/events/0/type").asString()).isEqualTo("tessera.deployment.created.v2");
        assertThat(newer.at("/events/0/data/name").asString()).isEqualTo("shop new-1");
        assertThat(newer.at("/state/project_name").asString()).isEqualTo("shop new-1");
        assertThat(verify(tenant).get("ok").asBoolean()).isTrue();
    }

    /** Five events: two creations, a change, a rejected command (its own stream) and a workflow. */
    private List<ObjectNode> publishHistory(String tenant) {
        Instant t0 = Instant.parse("2024-06-01T08:00:00Z");
        List<ObjectNode> events = new ArrayList<>();
        events.add(cloudEvent(tenant, "dep-1", 0, t0, created(tenant, "dep-1")));
        events.add(cloudEvent(
                tenant,
                "dep-1",
                1,
                t0.plusSeconds(1),
                new DeploymentStatusChanged(tenant, "dep-1", DeploymentStatus.PENDING, DeploymentStatus.BUILDING)));
        events.add(cloudEvent(
                tenant,
                "dep-1",
                2,
                t0.plusSeconds(2),
                new DeploymentStatusChanged(tenant, "dep-1", DeploymentStatus.BUILDING, DeploymentStatus.ACTIVE)));
        String rejectionId = UUID.randomUUID().toString();
        ObjectNode rejection = cloudEvent(
                tenant,
                rejectionId,
                0,
                t0.plusSeconds(3),
                new CommandRejected(
                        tenant,
                        "cmd-rejected",
                        "UpdateDeployment",
                        "deployment",
                        "dep-1",
                        "CONFLICT",
                        "A deployment cannot move from building to pending"));
        rejection.put("id", rejectionId);
        rejection.put("actor", "mallory");
        rejection.put("commandid", "cmd-rejected");
        events.add(rejection);
        events.add(cloudEvent(
                tenant,
                "wf-1",
                0,
                t0.plusSeconds(4),
                new WorkflowCreated(tenant, "wf-1", "nightly", Map.of("steps", 2), WorkflowStatus.DRAFT)));
        events.forEach(kafka::send);
        kafka.flush();
        return events;
    }

    private static DeploymentCreated created(String tenant, String id) {
        return new DeploymentCreated(tenant, id, "shop " + id, null, DeploymentStatus.PENDING);
    }

    private void awaitEntries(String tenant, int count) {
        await().atMost(PATIENCE)
                .until(
                        () -> get(Role.AUDITOR, tenant, "/api/events?after_position=0&limit=1000")
                                .body()
                                .at("/pagination/total")
                                .asLong(),
                        total -> total >= count);
    }

    private JsonNode verify(String tenant) {
        Answer response = get(Role.AUDITOR, tenant, "/api/audit/verify");
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        return response.body().get("data");
    }

    private List<JsonNode> auditOldestFirst(String tenant) {
        List<JsonNode> entries = new ArrayList<>();
        get(Role.AUDITOR, tenant, "/api/audit?limit=100").body().get("data").forEach(entries::add);
        Collections.reverse(entries);
        return entries;
    }

    private void publish(ObjectNode cloudEvent) {
        kafka.publish(cloudEvent);
    }

    private void publish(String tenant, String subject, long sequence, Instant time, Object event) {
        kafka.publish(tenant, subject, sequence, time, event);
    }

    private Answer get(Role role, String tenant, String path) {
        return kafka.get(TestEvents.token(tenant, role), path);
    }
}
