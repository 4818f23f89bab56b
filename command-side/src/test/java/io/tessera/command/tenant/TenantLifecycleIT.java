package io.tessera.command.tenant;

import static io.tessera.command.CommandSideTests.editor;
import static io.tessera.command.CommandSideTests.envelope;
import static io.tessera.command.CommandSideTests.newTenant;
import static io.tessera.command.CommandSideTests.platformAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.command.CommandSideApplication;
import io.tessera.command.CommandSideTests;
import io.tessera.command.TopicProbe;
import io.tessera.events.Topics;
import io.tessera.events.user.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Suspension, reactivation and offboarding over HTTP and Kafka, on the real PostgreSQL and Kafka. */
@SpringBootTest(
        classes = CommandSideApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + CommandSideApplication.CONFIG_NAME)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantLifecycleIT {

    private static final Duration AWAIT = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    private final JdbcTemplate jdbc = CommandSideTests.admin();

    private KafkaProducer<String, String> producer;
    private TopicProbe events;
    private TopicProbe results;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        CommandSideTests.infrastructure(registry);
    }

    @BeforeAll
    void connectToKafka() {
        producer = CommandSideTests.producer();
        events = CommandSideTests.probe(Topics.EVENTS);
        results = CommandSideTests.probe(Topics.COMMAND_RESULTS);
    }

    @AfterAll
    void disconnect() {
        producer.close();
        events.close();
        results.close();
    }

    @Test
    void suspendedTenantIsRefusedUntilReactivatedWhileOthersGoOn() throws Exception {
        String tenant = newTenant();
        String other = newTenant();
        String deployment = createDeployment(tenant);
        JsonNode client = registerClient(tenant);

        HttpResponse<String> suspended = admin("POST", "/api/tenants/" + tenant + "/suspend");
        assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(202);
        JsonNode accepted = json.readTree(suspended.body()).get("data");
        assertThat(accepted.get("id").asText()).isEqualTo(tenant);
        assertThat(accepted.get("command_id").asText()).isNotBlank();
        assertThat(accepted.get("position").isNumber()).isTrue();

        assertSuspended(send(tenant, "POST", "/api/deployments", Map.of("project_name", "refused")));
        assertSuspended(send(tenant, "PATCH", "/api/deployments/" + deployment, Map.of("status", "building")));
        assertSuspended(send(tenant, "DELETE", "/api/deployments/" + deployment, Map.of()));
        assertSuspended(send(tenant, "POST", "/api/workflows", Map.of("name", "w", "config", Map.of())));
        String commandId = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(
                        Topics.COMMANDS,
                        tenant,
                        envelope(
                                commandId, tenant, "UpdateDeployment", Map.of("id", deployment, "status", "building"))))
                .get();
        JsonNode result = await().atMost(AWAIT).until(() -> result(commandId), found -> found != null);
        assertThat(result.get("status").asText()).isEqualTo("rejected");
        assertThat(result.at("/error/code").asText()).isEqualTo("TENANT_SUSPENDED");

        assertThat(send(other, "POST", "/api/deployments", Map.of("project_name", "elsewhere"))
                        .statusCode())
                .isEqualTo(202);
        assertThat(grant(client).statusCode())
                .as("tokens for reading still granted")
                .isEqualTo(200);
        assertThat(admin("POST", "/api/tenants/" + tenant + "/suspend").statusCode())
                .isEqualTo(202);

        assertThat(admin("POST", "/api/tenants/" + tenant + "/reactivate").statusCode())
                .isEqualTo(202);
        assertThat(send(tenant, "PATCH", "/api/deployments/" + deployment, Map.of("status", "building"))
                        .statusCode())
                .isEqualTo(202);
        assertThat(send(tenant, "POST", "/api/deployments", Map.of("project_name", "again"))
                        .statusCode())
                .isEqualTo(202);
    }

    @Test
    void offboardedTenantLosesItsCredentialsAndAcceptsNothingForGood() throws Exception {
        String tenant = newTenant();
        String other = newTenant();
        createDeployment(tenant);
        JsonNode client = registerClient(tenant);
        JsonNode otherClient = registerClient(other);
        String refreshToken =
                json.readTree(grant(client).body()).at("/data/refresh_token").asText();

        HttpResponse<String> offboarded = admin("DELETE", "/api/tenants/" + tenant);
        assertThat(offboarded.statusCode()).as(offboarded.body()).isEqualTo(202);
        long position = json.readTree(offboarded.body()).at("/data/position").asLong();

        assertThat(grant(client).statusCode()).isEqualTo(401);
        assertThat(post("/api/auth/refresh", null, Map.of("refresh_token", refreshToken))
                        .statusCode())
                .isEqualTo(401);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM command_side.auth_token_family f JOIN command_side.auth_client c"
                                + " ON c.client_id = f.client_id WHERE c.tenant_id = ? AND f.revoked_at IS NULL",
                        Integer.class,
                        tenant))
                .isZero();
        assertRefusedToken(send(tenant, "POST", "/api/deployments", Map.of("project_name", "refused")));
        String tenantAdmin = CommandSideTests.TOKENS.issue(
                "ada", tenant, List.of(Role.ADMIN), List.of(), false, Duration.ofMinutes(5));
        assertRefusedToken(request(
                tenantAdmin, tenant, "POST", "/api/users", Map.of("email", "late@example.com", "role", "viewer")));
        String commandId = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(
                        Topics.COMMANDS,
                        tenant,
                        envelope(commandId, tenant, "CreateDeployment", Map.of("project_name", "refused"))))
                .get();
        JsonNode result = await().atMost(AWAIT).until(() -> result(commandId), found -> found != null);
        assertThat(result.at("/error/code").asText()).isEqualTo("UNAUTHENTICATED");
        // An admin from another home tenant may still act for it: its commands are refused as the tenant's are.
        String steward = CommandSideTests.TOKENS.issue(
                "steward", other, List.of(Role.ADMIN), List.of(tenant), false, Duration.ofMinutes(5));
        assertSuspended(
                request(steward, tenant, "POST", "/api/users", Map.of("email", "late@example.com", "role", "viewer")));
        assertSuspended(request(steward, tenant, "DELETE", "/api/users/late@example.com", Map.of()));
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM tessera_keys.tenant_data_key WHERE tenant_id = ? AND wrapped_key IS NOT NULL",
                        Integer.class,
                        tenant))
                .as("no data key is made again for an offboarded tenant")
                .isZero();
        assertThat(post("/api/auth/clients", platformAdmin(), Map.of("tenant_id", tenant, "roles", List.of("editor")))
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> reactivated = admin("POST", "/api/tenants/" + tenant + "/reactivate");
        assertThat(reactivated.statusCode()).isEqualTo(409);
        assertThat(admin("DELETE", "/api/tenants/" + tenant).statusCode()).isEqualTo(409);

        assertThat(grant(otherClient).statusCode()).isEqualTo(200);
        JsonNode published = await().atMost(AWAIT).until(() -> event(tenant, position), found -> found != null);
        assertThat(published.get("type").asText()).isEqualTo("tessera.tenant.offboarded.v1");
    }

    @Test
    void onlyAPlatformAdminChangesTheLifecycleAndAnUnknownTenantIsNotFound() throws Exception {
        String tenant = newTenant();
        createDeployment(tenant);
        String tenantAdmin = CommandSideTests.TOKENS.issue(
                "ada", tenant, List.of(Role.ADMIN), List.of(), false, Duration.ofMinutes(5));

        assertThat(request(tenantAdmin, null, "POST", "/api/tenants/" + tenant + "/suspend", Map.of())
                        .statusCode())
                .isEqualTo(403);
        assertThat(request(tenantAdmin, null, "DELETE", "/api/tenants/" + tenant, Map.of())
                        .statusCode())
                .isEqualTo(403);
        assertThat(admin("POST", "/api/tenants/" + newTenant() + "/suspend").statusCode())
                .isEqualTo(404);
        assertThat(admin("DELETE", "/api/tenants/Not%20A%20Tenant").statusCode())
                .isEqualTo(404);
    }

    private static void assertRefusedToken(HttpResponse<String> response) throws Exception {
        assertRefused(response, 401, "UNAUTHENTICATED");
    }

    private static void assertSuspended(HttpResponse<String> response) throws Exception {
        assertRefused(response, 403, "TENANT_SUSPENDED");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(new ObjectMapper()
                        .readTree(response.body())
                        .at("/error/code")
                        .asText())
                .isEqualTo(code);
    }

    private String createDeployment(String tenant) throws Exception {
        HttpResponse<String> response = send(tenant, "POST", "/api/deployments", Map.of("project_name", "p"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json.readTree(response.body()).at("/data/id").asText();
    }

    private JsonNode registerClient(String tenant) throws Exception {
        HttpResponse<String> response =
                post("/api/auth/clients", platformAdmin(), Map.of("tenant_id", tenant, "roles", List.of("editor")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body()).get("data");
    }

    private HttpResponse<String> grant(JsonNode client) throws Exception {
        return post(
                "/api/auth/token",
                null,
                Map.of(
                        "grant_type", "client_credentials",
                        "client_id", client.get("client_id").asText(),
                        "client_secret", client.get("client_secret").asText()));
    }

    private JsonNode result(String commandId) throws Exception {
        return find(results, record -> commandId.equals(record.key()));
    }

    private JsonNode event(String tenant, long position) throws Exception {
        return find(events, record -> {
            JsonNode node = json.readTree(record.value());
            return tenant.equals(node.path("tenantid").asText())
                    && node.path("position").asLong() == position;
        });
    }

    private interface RecordMatcher {
        boolean matches(ConsumerRecord<String, String> record) throws Exception;
    }

    private JsonNode find(TopicProbe topic, RecordMatcher matcher) throws Exception {
        for (ConsumerRecord<String, String> record : topic.records()) {
            if (matcher.matches(record)) {
                return json.readTree(record.value());
            }
        }
        return null;
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        return request(platformAdmin(), null, method, path, Map.of());
    }

    private HttpResponse<String> send(String tenant, String method, String path, Object body) throws Exception {
        return request(editor(tenant), tenant, method, path, body);
    }

    private HttpResponse<String> post(String path, String bearer, Object body) throws Exception {
        return request(bearer, null, "POST", path, body);
    }

    private HttpResponse<String> request(String bearer, String tenant, String method, String path, Object body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (tenant != null) {
            request.header("X-Tenant-ID", tenant);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
