package io.tessera.command.deployment;

import static io.tessera.command.CommandSideTests.editor;
import static io.tessera.command.CommandSideTests.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.command.CommandSideIntegrationTest;
import io.tessera.command.CommandSideTestBase;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Deployment commands through HTTP: the rules the aggregate enforces, another tenant's deployments and tokens,
 * invalid bodies, and events stored in an older shape.
 */
@CommandSideIntegrationTest
class DeploymentCommandsIT extends CommandSideTestBase {

    @Test
    void illegalTransitionIsAConflict() throws Exception {
        String tenant = newTenant();
        String id = createDeployment(tenant);

        HttpResponse<String> response =
                send(tenant, editor(tenant), "PATCH", "/api/deployments/" + id, Map.of("status", "active"));

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json.readTree(response.body()).at("/error/code").asText()).isEqualTo("CONFLICT");
    }

    @Test
    void anotherTenantsDeploymentIsNotFound() throws Exception {
        String owner = newTenant();
        String stranger = newTenant();
        String id = createDeployment(owner);

        HttpResponse<String> foreign =
                send(stranger, editor(stranger), "PATCH", "/api/deployments/" + id, Map.of("status", "building"));
        HttpResponse<String> missing = send(
                stranger,
                editor(stranger),
                "PATCH",
                "/api/deployments/" + UUID.randomUUID(),
                Map.of("status", "building"));

        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(json.readTree(foreign.body()).get("error"))
                .isEqualTo(json.readTree(missing.body()).get("error"));
    }

    @Test
    void tokenOfAnotherTenantIsForbidden() throws Exception {
        String a = newTenant();
        String b = newTenant();

        HttpResponse<String> response = post(a, editor(b), "/api/deployments", Map.of("project_name", "x"), null);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json.readTree(response.body()).at("/error/code").asText()).isEqualTo("TENANT_FORBIDDEN");
    }

    @Test
    void invalidBodyNamesTheFieldsAndWritesNothing() throws Exception {
        String tenant = newTenant();

        HttpResponse<String> response =
                post(tenant, editor(tenant), "/api/deployments", Map.of("project_name", "", "url", "ftp://x"), null);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(error.get("details").toString()).contains("project_name").contains("url");
        assertThat(eventsOfTenantStream(tenant)).isZero();
    }

    @Test
    void deploymentCreatedStoredInTheV1ShapeIsUpcastForTheAggregateAndThePublisher() throws Exception {
        String tenant = newTenant();
        String current = createDeployment(tenant);
        String legacy = UUID.randomUUID().toString();
        Map<String, Object> v1 = new java.util.LinkedHashMap<>();
        v1.put("tenant_id", tenant);
        v1.put("deployment_id", legacy);
        v1.put("project_name", "legacy-shop");
        v1.put("url", null);
        v1.put("status", "pending");
        jdbc.update(
                """
                INSERT INTO command_side.domain_event_entry
                    (aggregate_identifier, sequence_number, type, event_identifier, meta_data, payload,
                     payload_revision, payload_type, time_stamp)
                SELECT ?, 0, 'Deployment', ?, meta_data, ?, NULL, payload_type, ?
                FROM command_side.domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 0
                """,
                legacy,
                UUID.randomUUID().toString(),
                json.writeValueAsBytes(v1),
                java.time.Instant.now().toString(),
                current);
        assertThat(jdbc.queryForObject(
                        "SELECT payload_revision FROM command_side.domain_event_entry WHERE aggregate_identifier = ?",
                        String.class,
                        current))
                .isEqualTo("2");

        HttpResponse<String> update =
                send(tenant, editor(tenant), "PATCH", "/api/deployments/" + legacy, Map.of("status", "building"));

        assertThat(update.statusCode()).as(update.body()).isEqualTo(202);
        JsonNode published = await().atMost(AWAIT).until(() -> events().find(legacy), found -> found != null);
        assertThat(published.get("type").asText()).isEqualTo("tessera.deployment.created.v2");
        assertThat(published.at("/data/name").asText()).isEqualTo("legacy-shop");
        assertThat(published.at("/data/project_name").isMissingNode()).isTrue();
        assertThat(await().atMost(AWAIT)
                        .until(
                                () -> events().findAll(tenant).stream()
                                        .filter(e -> e.path("subject").asText().equals(legacy))
                                        .toList(),
                                found -> found.size() == 2)
                        .get(1)
                        .get("type")
                        .asText())
                .isEqualTo("tessera.deployment.status-changed.v1");
    }
}
