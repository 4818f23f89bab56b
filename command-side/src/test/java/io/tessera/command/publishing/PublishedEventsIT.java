package io.tessera.command.publishing;

import static io.tessera.command.CommandSideTests.editor;
import static io.tessera.command.CommandSideTests.envelope;
import static io.tessera.command.CommandSideTests.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.command.CommandSideIntegrationTest;
import io.tessera.command.CommandSideTestBase;
import io.tessera.command.CommandSideTests;
import io.tessera.events.Topics;
import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.signing.EventKeys;
import io.tessera.infra.signing.EventSignatures;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What the command side publishes on {@code tessera.events}: an accepted command as a signed CloudEvent
 * with its own position, a rejected one once with its reason.
 */
@CommandSideIntegrationTest
class PublishedEventsIT extends CommandSideTestBase {

    @Autowired
    DataSource dataSource;

    @Test
    void acceptedCreationIsPublishedAsCloudEvent() throws Exception {
        String tenant = newTenant();
        HttpResponse<String> response =
                post(tenant, editor(tenant), "/api/deployments", Map.of("project_name", "shop"), null);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode data = json.readTree(response.body()).get("data");
        String id = data.get("id").asText();
        long position = data.get("position").asLong();
        assertThat(data.get("command_id").asText()).isNotBlank();

        JsonNode cloudEvent = await().atMost(AWAIT).until(() -> events().find(id), found -> found != null);
        assertThat(cloudEvent.get("type").asText()).isEqualTo("tessera.deployment.created.v2");
        assertThat(cloudEvent.get("tenantid").asText()).isEqualTo(tenant);
        // CloudEvents type system: a 64-bit position and the sequence travel as strings.
        assertThat(cloudEvent.get("position").isTextual()).isTrue();
        assertThat(cloudEvent.get("position").asLong()).isEqualTo(position);
        assertThat(cloudEvent.get("sequence").asText()).isEqualTo("0000000000000000000");
        assertThat(cloudEvent.get("data").get("name").asText()).isEqualTo("shop");
        assertThat(cloudEvent.get("actor").asText()).isEqualTo("alice");
        String keyId = LocalInfrastructure.shared().eventSigningKeyId();
        assertThat(cloudEvent.get("keyid").asText()).isEqualTo(keyId);
        EventKeys keys = EventKeys.parse(
                LocalInfrastructure.shared().eventSigningProperties().get("tessera.events.public-keys"));
        assertThat(keys.verify(EventSignatures.parse(cloudEvent.toString()))).isEqualTo(new EventKeys.Verified(keyId));
    }

    /**
     * Global indexes are taken at insert and become visible at commit, so between tenants an event can commit
     * after one with a higher index. Its CloudEvent must still carry its own position, not the publisher token's
     * highest index (which made the query side's event log drop one of two events with the same position).
     */
    @Test
    void anEventCommittedAfterALaterOneIsPublishedWithItsOwnPosition() throws Exception {
        String slow = newTenant();
        String fast = newTenant();
        assertThat(post(slow, editor(slow), "/api/deployments", Map.of("project_name", "a"), null)
                        .statusCode())
                .isEqualTo(202);
        assertThat(post(fast, editor(fast), "/api/deployments", Map.of("project_name", "b"), null)
                        .statusCode())
                .isEqualTo(202);
        String key = UUID.randomUUID().toString();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> slowAnswer;
        HttpResponse<String> fastAnswer;
        // The slow command stores its events (taking their indexes), then waits for this uncommitted row of the
        // idempotency log before it can commit; meanwhile the fast one commits a higher index.
        try (java.sql.Connection held = dataSource.getConnection()) {
            held.setAutoCommit(false);
            try (java.sql.PreparedStatement tenant =
                    held.prepareStatement("SELECT set_config('tessera.tenant_id', ?, true)")) {
                tenant.setString(1, slow);
                tenant.executeQuery().close();
            }
            try (java.sql.PreparedStatement insert = held.prepareStatement(
                    "INSERT INTO command_side.command_log (tenant_id, caller, key, command_id, accepted)"
                            + " VALUES (?, 'alice', ?, ?, false)")) {
                insert.setString(1, slow);
                insert.setString(2, key);
                insert.setString(3, "held");
                insert.executeUpdate();
            }
            slowAnswer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return post(slow, editor(slow), "/api/deployments", Map.of("project_name", "gap"), key);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(AWAIT)
                    .until(
                            () -> jdbc.queryForObject(
                                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                            + " AND query LIKE '%command_log%'",
                                    Integer.class),
                            waiting -> waiting > 0);
            fastAnswer = post(fast, editor(fast), "/api/deployments", Map.of("project_name", "later"), null);
            held.rollback();
        }
        JsonNode slowData = json.readTree(slowAnswer.get().body()).get("data");
        JsonNode fastData = json.readTree(fastAnswer.body()).get("data");
        assertThat(slowData.get("position").asLong())
                .isLessThan(fastData.get("position").asLong());
        for (JsonNode data : List.of(slowData, fastData)) {
            JsonNode cloudEvent = await().atMost(AWAIT)
                    .until(() -> events().find(data.get("id").asText()), found -> found != null);
            assertThat(cloudEvent.get("position").asLong())
                    .as("published position of " + data)
                    .isEqualTo(data.get("position").asLong());
        }
    }

    @Test
    void rejectedCommandsAreStoredAndPublishedOnceWithTheirReason() throws Exception {
        String tenant = newTenant();
        String id = createDeployment(tenant);
        HttpResponse<String> conflict =
                send(tenant, editor(tenant), "PATCH", "/api/deployments/" + id, Map.of("status", "active"));
        HttpResponse<String> forbidden = post(
                tenant,
                CommandSideTests.TOKENS.issue(
                        "vic", tenant, List.of(Role.VIEWER), List.of(), false, Duration.ofMinutes(5)),
                "/api/deployments",
                Map.of("project_name", "x"),
                null);
        HttpResponse<String> invalid =
                post(tenant, editor(tenant), "/api/workflows", Map.of("name", "w", "config", 3), null);
        String commandId = UUID.randomUUID().toString();
        String badType = envelope(commandId, tenant, "LaunchRocket", Map.of("id", id));
        producer().send(new ProducerRecord<>(Topics.COMMANDS, tenant, badType)).get();
        producer().send(new ProducerRecord<>(Topics.COMMANDS, tenant, badType)).get();
        await().atMost(AWAIT).until(() -> results().findAll(commandId), r -> r.size() == 2);
        assertThat(List.of(conflict.statusCode(), forbidden.statusCode(), invalid.statusCode()))
                .containsExactly(409, 403, 400);

        List<JsonNode> rejections = await().atMost(AWAIT)
                .until(
                        () -> events().findAll(tenant).stream()
                                .filter(e -> e.path("type").asText().equals("tessera.command.rejected.v1"))
                                .toList(),
                        found -> found.size() >= 4);

        assertThat(rejections).hasSize(4);
        assertThat(rejections)
                .extracting(e -> e.at("/data/command_type").asText() + " "
                        + e.at("/data/code").asText())
                .containsExactlyInAnyOrder(
                        "UpdateDeployment CONFLICT",
                        "CreateDeployment FORBIDDEN",
                        "CreateWorkflow VALIDATION_FAILED",
                        "unknown VALIDATION_FAILED");
        JsonNode onConflict = rejections.stream()
                .filter(e -> e.at("/data/code").asText().equals("CONFLICT"))
                .findFirst()
                .orElseThrow();
        assertThat(onConflict.at("/data/resource_type").asText()).isEqualTo("deployment");
        assertThat(onConflict.at("/data/resource_id").asText()).isEqualTo(id);
        assertThat(onConflict.at("/data/reason").asText()).contains("cannot move from pending to active");
        assertThat(onConflict.get("tenantid").asText()).isEqualTo(tenant);
        assertThat(onConflict.get("actor").asText()).isEqualTo("alice");
        assertThat(onConflict.get("commandid").asText())
                .isEqualTo(onConflict.at("/data/command_id").asText());
        assertThat(onConflict.get("subject").asText())
                .isEqualTo(onConflict.get("id").asText());
        assertThat(onConflict.get("sequence").asLong()).isZero();
        assertThat(onConflict.get("position").asText()).matches("[0-9]+");
        assertThat(rejections.stream().filter(e -> e.get("commandid").asText().equals(commandId)))
                .hasSize(1);
        assertThat(eventsOfTenantStream(tenant)).isEqualTo(2); // the rejections are streams of their own
    }
}
