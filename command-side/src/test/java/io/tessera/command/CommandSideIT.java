package io.tessera.command;

import static io.tessera.command.CommandSideTests.editor;
import static io.tessera.command.CommandSideTests.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.events.Topics;
import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.signing.EventKeys;
import io.tessera.infra.signing.EventSignatures;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(
        classes = CommandSideApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + CommandSideApplication.CONFIG_NAME,
            // One test holds a command on a row lock on purpose while others run.
            "tessera.command.statement-timeout=60s"
        })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandSideIT {

    private static final Duration AWAIT = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    private final JdbcTemplate jdbc = CommandSideTests.admin();

    @Autowired
    javax.sql.DataSource dataSource;

    private KafkaProducer<String, String> producer;
    private Probe events;
    private Probe results;
    private Probe deadLetters;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        CommandSideTests.infrastructure(registry);
    }

    @BeforeAll
    void connectToKafka() {
        producer = CommandSideTests.producer();
        events = new Probe(Topics.EVENTS);
        results = new Probe(Topics.COMMAND_RESULTS);
        deadLetters = new Probe(Topics.COMMANDS_DLQ);
    }

    @AfterAll
    void disconnect() {
        producer.close();
        events.close();
        results.close();
        deadLetters.close();
    }

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

        JsonNode cloudEvent = await().atMost(AWAIT).until(() -> events.find(id), found -> found != null);
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
            JsonNode cloudEvent =
                    await().atMost(AWAIT).until(() -> events.find(data.get("id").asText()), found -> found != null);
            assertThat(cloudEvent.get("position").asLong())
                    .as("published position of " + data)
                    .isEqualTo(data.get("position").asLong());
        }
    }

    @Test
    void concurrentCreationsStopExactlyAtTheHourlyQuota() throws Exception {
        String tenant = newTenant();
        String token = editor(tenant);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            answers.add(
                    pool.submit(() -> post(tenant, token, "/api/deployments", Map.of("project_name", "p" + n), null)));
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (Future<HttpResponse<String>> answer : answers) {
            responses.add(answer.get());
        }
        pool.shutdown();

        assertThat(responses.stream().filter(r -> r.statusCode() == 202)).hasSize(100);
        List<HttpResponse<String>> refused =
                responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(refused).hasSize(100);
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(json.readTree(r.body()).at("/error/code").asText()).isEqualTo("QUOTA_EXCEEDED");
        });
        await().atMost(AWAIT)
                .until(
                        () -> jdbc.queryForObject(
                                "SELECT count(*) FROM command_side.snapshot_event_entry WHERE aggregate_identifier = ?",
                                Integer.class,
                                tenant),
                        snapshots -> snapshots > 0);
    }

    /**
     * 200 clients at once on one tenant, so that its commands run in batches: still exactly the quota, each answer
     * remembered under its key, the tenant's stream without holes, and every 202's position its own event's.
     */
    @Test
    void twoHundredClientsAtOnceOnOneTenantStopExactlyAtTheHourlyQuota() throws Exception {
        String tenant = newTenant();
        String token = editor(tenant);
        int clients = 200;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(clients);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int n = i;
            answers.add(pool.submit(() -> {
                start.await();
                return post(tenant, token, "/api/deployments", Map.of("project_name", "p" + n), "key-" + n);
            }));
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (Future<HttpResponse<String>> answer : answers) {
            responses.add(answer.get());
        }
        pool.shutdown();

        List<HttpResponse<String>> accepted =
                responses.stream().filter(r -> r.statusCode() == 202).toList();
        assertThat(accepted).hasSize(100);
        assertThat(responses.stream().filter(r -> r.statusCode() == 429)).hasSize(100);
        Integer remembered = jdbc.queryForObject(
                "SELECT count(*) FROM command_side.command_log WHERE tenant_id = ?", Integer.class, tenant);
        assertThat(remembered).isEqualTo(clients);
        Map<String, Object> stream = jdbc.queryForMap(
                "SELECT count(*) AS events, max(sequence_number) AS last FROM command_side.domain_event_entry"
                        + " WHERE aggregate_identifier = ?",
                tenant);
        assertThat(((Number) stream.get("last")).longValue() + 1)
                .as("the tenant's sequence numbers have no holes")
                .isEqualTo(((Number) stream.get("events")).longValue());
        for (HttpResponse<String> response : accepted) {
            JsonNode data = json.readTree(response.body()).get("data");
            Long stored = jdbc.queryForObject(
                    "SELECT global_index FROM command_side.domain_event_entry WHERE aggregate_identifier = ?",
                    Long.class,
                    data.get("id").asText());
            assertThat(data.get("position").asLong()).isEqualTo(stored);
        }
    }

    /**
     * The tenant is kept in memory between commands; a creation stored meanwhile by another instance (here written
     * into its stream directly) is seen, so the quota counts it: the next creation is refused on the quota, not
     * decided on the stale count (which would have collided with the other instance's sequence number).
     */
    @Test
    void aCreationStoredByAnotherInstanceCountsAgainstTheQuotaOfTheTenantKeptInMemory() throws Exception {
        String tenant = newTenant();
        String token = editor(tenant);
        assertThat(post(tenant, token, "/api/deployments", Map.of("project_name", "first"), null)
                        .statusCode())
                .isEqualTo(202);
        HttpResponse<String> quotas = send(
                "platform",
                CommandSideTests.platformAdmin(),
                "PUT",
                "/api/tenants/" + tenant + "/quotas",
                Map.of("deployments_per_hour", 2, "workflows_per_hour", 2));
        assertThat(quotas.statusCode()).as(quotas.body()).isEqualTo(202);

        jdbc.update("""
                INSERT INTO command_side.domain_event_entry (event_identifier, aggregate_identifier, sequence_number,
                    type, time_stamp, payload_type, payload_revision, payload, meta_data)
                SELECT ?, aggregate_identifier,
                       (SELECT max(sequence_number) + 1 FROM command_side.domain_event_entry
                        WHERE aggregate_identifier = ?),
                       type, time_stamp, payload_type, payload_revision, payload, meta_data
                FROM command_side.domain_event_entry
                WHERE aggregate_identifier = ? AND payload_type LIKE '%CreationQuotaConsumed'
                LIMIT 1
                """, UUID.randomUUID().toString(), tenant, tenant);

        HttpResponse<String> third = post(tenant, token, "/api/deployments", Map.of("project_name", "third"), null);
        assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
        assertThat(json.readTree(third.body()).at("/error/code").asText()).isEqualTo("QUOTA_EXCEEDED");
    }

    @Test
    void idempotencyKeyRetryReturnsTheFirstAnswerAndChangesNothing() throws Exception {
        String tenant = newTenant();
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = post(tenant, editor(tenant), "/api/deployments", Map.of("project_name", "a"), key);
        HttpResponse<String> retry = post(tenant, editor(tenant), "/api/deployments", Map.of("project_name", "a"), key);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(retry.statusCode()).isEqualTo(first.statusCode());
        assertThat(json.readTree(retry.body())).isEqualTo(json.readTree(first.body()));
        assertThat(eventsOfTenantStream(tenant)).isEqualTo(2); // provisioned + one creation counted
    }

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
    void kafkaCommandIsAnsweredOnceAndItsRedeliveryChangesNothing() throws Exception {
        String tenant = newTenant();
        String commandId = UUID.randomUUID().toString();
        String envelope = envelope(commandId, tenant, "CreateDeployment", Map.of("project_name", "via-kafka"));

        producer.send(new ProducerRecord<>(Topics.COMMANDS, tenant, envelope)).get();
        List<JsonNode> first = await().atMost(AWAIT).until(() -> results.findAll(commandId), r -> r.size() == 1);
        assertThat(first.get(0).get("status").asText()).isEqualTo("accepted");
        assertThat(first.get(0).get("position").isNumber()).isTrue();
        int eventsBefore = eventsOfTenantStream(tenant);

        producer.send(new ProducerRecord<>(Topics.COMMANDS, tenant, envelope)).get();
        List<JsonNode> both = await().atMost(AWAIT).until(() -> results.findAll(commandId), r -> r.size() == 2);
        assertThat(both.get(1)).isEqualTo(both.get(0));
        assertThat(eventsOfTenantStream(tenant)).isEqualTo(eventsBefore);
    }

    @Test
    void unreadableRecordIsDeadLetteredAndTheNextIsProcessed() throws Exception {
        String tenant = newTenant();
        String garbage = "{not json " + UUID.randomUUID();
        String commandId = UUID.randomUUID().toString();

        producer.send(new ProducerRecord<>(Topics.COMMANDS, tenant, garbage)).get();
        producer.send(new ProducerRecord<>(
                        Topics.COMMANDS,
                        tenant,
                        envelope(commandId, tenant, "CreateDeployment", Map.of("project_name", "after-garbage"))))
                .get();

        ConsumerRecord<String, String> dead =
                await().atMost(AWAIT).until(() -> deadLetters.findRaw(garbage), found -> found != null);
        assertThat(dead.headers().lastHeader("x-tessera-dlq-reason")).isNotNull();
        List<JsonNode> answer = await().atMost(AWAIT).until(() -> results.findAll(commandId), r -> r.size() == 1);
        assertThat(answer.get(0).get("status").asText()).isEqualTo("accepted");
    }

    @Test
    void kafkaCommandWithAForeignTokenIsRejected() throws Exception {
        String tenant = newTenant();
        String commandId = UUID.randomUUID().toString();
        String envelope = json.writeValueAsString(Map.of(
                "command_id",
                commandId,
                "type",
                "CreateDeployment",
                "tenant_id",
                tenant,
                "token",
                editor(newTenant()),
                "payload",
                Map.of("project_name", "x")));

        producer.send(new ProducerRecord<>(Topics.COMMANDS, tenant, envelope)).get();

        List<JsonNode> answer = await().atMost(AWAIT).until(() -> results.findAll(commandId), r -> r.size() == 1);
        assertThat(answer.get(0).get("status").asText()).isEqualTo("rejected");
        assertThat(answer.get(0).at("/error/code").asText()).isEqualTo("TENANT_FORBIDDEN");
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
        producer.send(new ProducerRecord<>(Topics.COMMANDS, tenant, badType)).get();
        producer.send(new ProducerRecord<>(Topics.COMMANDS, tenant, badType)).get();
        await().atMost(AWAIT).until(() -> results.findAll(commandId), r -> r.size() == 2);
        assertThat(List.of(conflict.statusCode(), forbidden.statusCode(), invalid.statusCode()))
                .containsExactly(409, 403, 400);

        List<JsonNode> rejections = await().atMost(AWAIT)
                .until(
                        () -> events.findAll(tenant).stream()
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
        JsonNode published = await().atMost(AWAIT).until(() -> events.find(legacy), found -> found != null);
        assertThat(published.get("type").asText()).isEqualTo("tessera.deployment.created.v2");
        assertThat(published.at("/data/name").asText()).isEqualTo("legacy-shop");
        assertThat(published.at("/data/project_name").isMissingNode()).isTrue();
        assertThat(await().atMost(AWAIT)
                        .until(
                                () -> events.findAll(tenant).stream()
                                        .filter(e -> e.path("subject").asText().equals(legacy))
                                        .toList(),
                                found -> found.size() == 2)
                        .get(1)
                        .get("type")
                        .asText())
                .isEqualTo("tessera.deployment.status-changed.v1");
    }

    private String createDeployment(String tenant) throws Exception {
        HttpResponse<String> response =
                post(tenant, editor(tenant), "/api/deployments", Map.of("project_name", "p"), null);
        assertThat(response.statusCode()).isEqualTo(202);
        return json.readTree(response.body()).at("/data/id").asText();
    }

    private int eventsOfTenantStream(String tenant) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM command_side.domain_event_entry WHERE aggregate_identifier = ?",
                Integer.class,
                tenant);
    }

    private String envelope(String commandId, String tenant, String type, Map<String, Object> payload)
            throws IOException {
        return json.writeValueAsString(Map.of(
                "command_id",
                commandId,
                "type",
                type,
                "tenant_id",
                tenant,
                "token",
                editor(tenant),
                "payload",
                payload));
    }

    private HttpResponse<String> post(String tenant, String token, String path, Object body, String idempotencyKey)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .header("X-Tenant-ID", tenant)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String tenant, String token, String method, String path, Object body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .header("X-Tenant-ID", tenant)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** One topic from its beginning, read as CloudEvents or command results. */
    private final class Probe implements AutoCloseable {

        private final TopicProbe topic;

        Probe(String topic) {
            this.topic = CommandSideTests.probe(topic);
        }

        JsonNode find(String subject) throws IOException {
            for (ConsumerRecord<String, String> record : topic.records()) {
                JsonNode node = json.readTree(record.value());
                if (subject.equals(node.path("subject").asText())) {
                    return node;
                }
            }
            return null;
        }

        List<JsonNode> findAll(String key) throws IOException {
            List<JsonNode> found = new ArrayList<>();
            for (ConsumerRecord<String, String> record : topic.records()) {
                if (key.equals(record.key())) {
                    found.add(json.readTree(record.value()));
                }
            }
            return found;
        }

        ConsumerRecord<String, String> findRaw(String value) {
            return topic.records().stream()
                    .filter(r -> value.equals(r.value()))
                    .findFirst()
                    .orElse(null);
        }

        @Override
        public void close() {
            topic.close();
        }
    }
}
