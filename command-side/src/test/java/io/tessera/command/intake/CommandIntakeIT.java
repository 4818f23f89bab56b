package io.tessera.command.intake;

import static io.tessera.command.CommandSideTests.editor;
import static io.tessera.command.CommandSideTests.envelope;
import static io.tessera.command.CommandSideTests.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.command.CommandSideTests;
import io.tessera.command.TopicProbe;
import io.tessera.events.Topics;
import io.tessera.events.user.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The command intake as an upstream system meets it, over real HTTP and Kafka on the shared PostgreSQL and
 * broker: an idempotency key answers only for the request it was first used with, and a record that cannot run
 * is moved aside without stalling the records behind it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandIntakeIT extends IntakeContext {

    private static final Duration AWAIT = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    /** Sees every tenant's rows and may alter tables: what the tests look at and set up, not what they prove. */
    private final JdbcTemplate admin = CommandSideTests.admin();

    private KafkaProducer<String, String> producer;
    private TopicProbe results;
    private TopicProbe deadLetters;

    @BeforeAll
    void connect() {
        producer = CommandSideTests.producer();
        results = CommandSideTests.probe(Topics.COMMAND_RESULTS);
        deadLetters = CommandSideTests.probe(Topics.COMMANDS_DLQ);
    }

    @AfterAll
    void disconnect() {
        producer.close();
        results.close();
        deadLetters.close();
    }

    @Test
    void aKeyUsedForOneCommandIsRefusedForAnotherAndNothingIsWritten() throws Exception {
        String tenant = newTenant();
        String key = UUID.randomUUID().toString();
        HttpResponse<String> deployment =
                send("POST", "/api/deployments", tenant, editor(tenant), "{\"project_name\":\"a\"}", key);
        assertThat(deployment.statusCode()).isEqualTo(202);
        int events = eventsOf(tenant);

        HttpResponse<String> workflow =
                send("POST", "/api/workflows", tenant, editor(tenant), "{\"name\":\"w\",\"config\":{}}", key);
        HttpResponse<String> otherBody =
                send("POST", "/api/deployments", tenant, editor(tenant), "{\"project_name\":\"b\"}", key);

        for (HttpResponse<String> refused : List.of(workflow, otherBody)) {
            assertThat(refused.statusCode()).isEqualTo(422);
            JsonNode body = json.readTree(refused.body());
            assertThat(body.path("success").asBoolean(true)).isFalse();
            assertThat(body.at("/error/code").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        }
        assertThat(eventsOf(tenant)).isEqualTo(events);
    }

    @Test
    void theSameRequestAgainGetsTheFirstAnswerWhateverItsJsonLayout() throws Exception {
        String tenant = newTenant();
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = send(
                "POST",
                "/api/deployments",
                tenant,
                editor(tenant),
                "{\"project_name\":\"shop\",\"url\":\"https://shop.example\"}",
                key);
        HttpResponse<String> again = send(
                "POST",
                "/api/deployments",
                tenant,
                editor(tenant),
                "{ \"url\" : \"https://shop.example\",\n \"project_name\" : \"shop\" }",
                key);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json.readTree(again.body())).isEqualTo(json.readTree(first.body()));
    }

    @Test
    void keysOfDifferentCallersNeverMeet() throws Exception {
        String tenant = newTenant();
        String key = "shared-" + UUID.randomUUID();
        String bob = CommandSideTests.TOKENS.issue(
                "bob", tenant, List.of(Role.EDITOR), List.of(), false, Duration.ofHours(1));

        HttpResponse<String> alices =
                send("POST", "/api/deployments", tenant, editor(tenant), "{\"project_name\":\"a\"}", key);
        HttpResponse<String> bobs = send("POST", "/api/deployments", tenant, bob, "{\"project_name\":\"b\"}", key);

        assertThat(alices.statusCode()).isEqualTo(202);
        assertThat(bobs.statusCode()).isEqualTo(202);
        assertThat(json.readTree(bobs.body()).at("/data/id").asText())
                .isNotEqualTo(json.readTree(alices.body()).at("/data/id").asText());
    }

    @Test
    void aPlatformAdminsCommandNeverMeetsATenantsKey() throws Exception {
        String tenant = newTenant();
        String admin = CommandSideTests.platformAdmin();
        assertThat(send("POST", "/api/tenants", null, admin, tenantBody(tenant), null)
                        .statusCode())
                .isEqualTo(202);
        String key = "k-" + UUID.randomUUID();
        assertThat(send("POST", "/api/deployments", tenant, editor(tenant), "{\"project_name\":\"a\"}", key)
                        .statusCode())
                .isEqualTo(202);

        HttpResponse<String> suspended = send("POST", "/api/tenants/" + tenant + "/suspend", null, admin, null, key);

        assertThat(suspended.statusCode()).isEqualTo(202);
        assertThat(json.readTree(suspended.body()).at("/data/id").asText()).isEqualTo(tenant);
        assertThat(send("POST", "/api/deployments", tenant, editor(tenant), "{\"project_name\":\"b\"}", null)
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void aKeyLongerThan255PrintableAsciiCharactersIsA400() throws Exception {
        String tenant = newTenant();
        int events = eventsOf(tenant);
        for (String key : List.of("k".repeat(256), "k".repeat(300), "tab\there")) {
            HttpResponse<String> refused =
                    send("POST", "/api/deployments", tenant, editor(tenant), "{\"project_name\":\"a\"}", key);
            assertThat(refused.statusCode()).as(key).isEqualTo(400);
            assertThat(json.readTree(refused.body()).at("/error/code").asText()).isEqualTo("VALIDATION_FAILED");
        }
        assertThat(eventsOf(tenant)).isEqualTo(events);
        assertThat(send("POST", "/api/deployments", tenant, editor(tenant), "{\"project_name\":\"a\"}", "k".repeat(255))
                        .statusCode())
                .isEqualTo(202);
    }

    @Test
    void anIdNoAggregateCanHaveIsNotFoundAndRememberedAsSuch() throws Exception {
        String tenant = newTenant();
        String key = UUID.randomUUID().toString();
        HttpResponse<String> answer = send(
                "PATCH", "/api/deployments/" + "x".repeat(300), tenant, editor(tenant), "{\"status\":\"active\"}", key);

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(json.readTree(answer.body()).at("/error/code").asText()).isEqualTo("NOT_FOUND");
    }

    /** Rows remembered before keys were bound (no caller, no digest) still answer, so no upgrade runs a command twice. */
    @Test
    void aKeyRememberedBeforeKeysWereBoundStillAnswers() throws Exception {
        String tenant = newTenant();
        String key = "legacy-" + UUID.randomUUID();
        admin.update("""
                INSERT INTO command_side.command_log (tenant_id, caller, key, command_id, accepted, resource_id, position)
                VALUES (?, '', ?, 'before-the-upgrade', true, 'dep-1', 42)
                """, tenant, key);

        HttpResponse<String> answer =
                send("POST", "/api/deployments", tenant, editor(tenant), "{\"project_name\":\"a\"}", key);

        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(json.readTree(answer.body()).at("/data/command_id").asText()).isEqualTo("before-the-upgrade");
    }

    @Test
    void aKafkaCommandIdSentAgainWithAnotherPayloadIsRefused() throws Exception {
        String tenant = newTenant();
        String commandId = UUID.randomUUID().toString();
        producer.send(record(tenant, envelope(commandId, tenant, "CreateDeployment", Map.of("project_name", "first"))))
                .get();
        await().atMost(AWAIT).until(() -> resultsOf(commandId), r -> r.size() == 1);
        int events = eventsOf(tenant);

        producer.send(record(tenant, envelope(commandId, tenant, "CreateDeployment", Map.of("project_name", "second"))))
                .get();

        List<JsonNode> both = await().atMost(AWAIT).until(() -> resultsOf(commandId), r -> r.size() == 2);
        assertThat(both.get(0).path("status").asText()).isEqualTo("accepted");
        assertThat(both.get(1).path("status").asText()).isEqualTo("rejected");
        assertThat(both.get(1).at("/error/code").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(eventsOf(tenant)).isEqualTo(events);
    }

    @Test
    void aCommandIdOutsideTheSafeSetIsDeadLetteredAnsweredAndTheNextRecordRuns() throws Exception {
        String tenant = newTenant();
        String tooLong = "c".repeat(65);
        String withNul = "nul\u0000" + UUID.randomUUID().toString().substring(0, 8);
        String after = UUID.randomUUID().toString();
        for (String commandId : List.of(tooLong, withNul)) {
            producer.send(record(
                            tenant, envelope(commandId, tenant, "CreateDeployment", Map.of("project_name", "poison"))))
                    .get();
        }
        producer.send(record(tenant, envelope(after, tenant, "CreateDeployment", Map.of("project_name", "after"))))
                .get();

        List<JsonNode> next = await().atMost(AWAIT).until(() -> resultsOf(after), r -> r.size() == 1);
        assertThat(next.get(0).path("status").asText()).isEqualTo("accepted");
        for (String commandId : List.of(tooLong, withNul)) {
            List<JsonNode> answer = await().atMost(AWAIT).until(() -> resultsOf(commandId), r -> r.size() == 1);
            assertThat(answer.get(0).at("/error/code").asText()).isEqualTo("VALIDATION_FAILED");
            assertThat(deadLetterReasonOf(commandId)).contains("command_id");
        }
        assertThat(admin.queryForObject(
                        "SELECT count(*) FROM command_side.command_log WHERE tenant_id = ?", Integer.class, tenant))
                .isEqualTo(1);
    }

    /**
     * A record that passes every check and still fails in the database (here a constraint this test adds) is tried
     * three times, then moved to the dead-letter topic and answered as rejected; the partition moves on.
     */
    @Test
    void aRecordThatFailsOnEveryTryIsDeadLetteredAndThePartitionMovesOn() throws Exception {
        String poisoned = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        String constraint = "refuses_" + poisoned.replace('-', '_');
        admin.execute("ALTER TABLE command_side.command_log ADD CONSTRAINT " + constraint + " CHECK (tenant_id <> '"
                + poisoned + "') NOT VALID");
        try {
            String failing = UUID.randomUUID().toString();
            String after = UUID.randomUUID().toString();
            String behind = newTenant();
            // One key, one partition: the second record waits behind the first.
            producer.send(new ProducerRecord<>(
                            Topics.COMMANDS,
                            "same-partition",
                            envelope(failing, poisoned, "CreateDeployment", Map.of("project_name", "x"))))
                    .get();
            producer.send(new ProducerRecord<>(
                            Topics.COMMANDS,
                            "same-partition",
                            envelope(after, behind, "CreateDeployment", Map.of("project_name", "y"))))
                    .get();

            List<JsonNode> next = await().atMost(AWAIT).until(() -> resultsOf(after), r -> r.size() == 1);
            assertThat(next.get(0).path("status").asText()).isEqualTo("accepted");
            List<JsonNode> failed = await().atMost(AWAIT).until(() -> resultsOf(failing), r -> r.size() == 1);
            assertThat(failed.get(0).path("status").asText()).isEqualTo("rejected");
            assertThat(failed.get(0).at("/error/code").asText()).isEqualTo("VALIDATION_FAILED");
            assertThat(deadLetterReasonOf(failing)).startsWith("Could not be run");
            assertThat(eventsOf(poisoned)).isZero();
        } finally {
            admin.execute("ALTER TABLE command_side.command_log DROP CONSTRAINT " + constraint);
        }
    }

    private String deadLetterReasonOf(String commandId) {
        ConsumerRecord<String, String> dead = await().atMost(AWAIT)
                .until(
                        () -> deadLetters.records().stream()
                                .filter(r -> r.value() != null && r.value().contains(quoted(commandId)))
                                .findFirst()
                                .orElse(null),
                        found -> found != null);
        return new String(
                dead.headers().lastHeader(KafkaCommandIntake.DLQ_REASON).value(), StandardCharsets.UTF_8);
    }

    private String quoted(String text) {
        try {
            return json.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> resultsOf(String commandId) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (ConsumerRecord<String, String> record : results.records()) {
            if (commandId.equals(record.key())) {
                found.add(json.readTree(record.value()));
            }
        }
        return found;
    }

    /** The events of the tenant's own stream: one more for every creation it counts. */
    private int eventsOf(String tenant) {
        return admin.queryForObject(
                "SELECT count(*) FROM command_side.domain_event_entry WHERE aggregate_identifier = ?",
                Integer.class,
                tenant);
    }

    private ProducerRecord<String, String> record(String tenant, String value) {
        return new ProducerRecord<>(Topics.COMMANDS, tenant, value);
    }

    private static String tenantBody(String tenant) {
        return "{\"id\":\"" + tenant + "\",\"name\":\"" + tenant + "\",\"slug\":\"" + tenant + "\"}";
    }

    private HttpResponse<String> send(String method, String path, String tenant, String token, String body, String key)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (tenant != null) {
            request.header("X-Tenant-ID", tenant);
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
