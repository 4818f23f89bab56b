package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.Topics;
import io.tessera.events.user.Role;
import io.tessera.infra.security.TokenIssuer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole system as {@code ./tessera run --no-demo} starts it, driven from outside over real HTTP and
 * Kafka, exactly as the external contract describes it.
 */
class SystemIT {

    private static final ConditionFactory EVENTUALLY =
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200));
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String TENANT_A = "it-a-" + RUN;
    private static final String TENANT_B = "it-b-" + RUN;

    private static LocalRun run;
    private static ApiClient commandSide;
    private static ApiClient querySide;
    private static TokenIssuer tokens;
    private static Path home;

    @BeforeAll
    static void startTheSystem(@TempDir Path tempHome) {
        home = tempHome;
        LocalRunSettings settings = TestRuns.onSharedInfrastructure(home);
        run = new LocalRun(settings, notice -> {}).start();
        commandSide = new ApiClient(run.commandSideUrl());
        querySide = new ApiClient(run.querySideUrl());
        tokens = settings.jwtSecret().tokenIssuer(Map.of());

        String platformAdmin = tokens.issue("it-admin", "platform", Set.of(), Set.of(), true, Duration.ofHours(1));
        for (String tenant : List.of(TENANT_A, TENANT_B)) {
            ApiClient.Response created = commandSide.send(
                    "POST", "/api/tenants", platformAdmin, Map.of("id", tenant, "name", tenant, "slug", tenant));
            assertThat(created.status()).as(created.describe()).isEqualTo(202);
        }
    }

    @AfterAll
    static void stopTheSystem() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void theCliRebuildsAReadTableWhileTheSystemRuns() {
        ApiClient.Response accepted = commandSide.send(
                "POST",
                "/api/workflows",
                token(TENANT_A, Role.EDITOR),
                Map.of("name", "cli-rebuilt", "config", Map.of("step", 1)));
        assertThat(accepted.status()).as(accepted.describe()).isEqualTo(202);
        String id = accepted.data().path("id").asString();
        EVENTUALLY.until(() -> querySide
                        .get("/api/workflows/" + id, token(TENANT_A, Role.VIEWER))
                        .status()
                == 200);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TesseraCli.execute(
                new String[] {"projections", "rebuild", "workflows", "--url", run.querySideUrl()},
                Map.of(),
                home,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(exit).as(printed + err).isZero();
        assertThat(printed).contains("Rebuilding workflows", "workflows: done");
        ApiClient.Response found = querySide.get("/api/workflows/" + id, token(TENANT_A, Role.VIEWER));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.data().path("name").asString()).isEqualTo("cli-rebuilt");
        assertThat(found.data().path("config").path("step").asInt()).isEqualTo(1);

        out.reset();
        assertThat(TesseraCli.execute(
                        new String[] {"projections", "status", "--url", run.querySideUrl()},
                        Map.of(),
                        home,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("deployments: ", "users: ", "workflows: done");
    }

    @Test
    void aDeploymentCreatedOverHttpAppearsOnTheQuerySide() {
        ApiClient.Response accepted = commandSide.send(
                "POST", "/api/deployments", token(TENANT_A, Role.EDITOR), Map.of("project_name", "http-created"));

        assertThat(accepted.status()).as(accepted.describe()).isEqualTo(202);
        assertThat(accepted.body().path("success").asBoolean()).isTrue();
        assertThat(accepted.data().path("command_id").asString()).isNotBlank();
        assertThat(accepted.data().path("position").isIntegralNumber()).isTrue();
        String id = accepted.data().path("id").asString();
        EVENTUALLY.untilAsserted(() -> {
            ApiClient.Response found = querySide.get("/api/deployments/" + id, token(TENANT_A, Role.VIEWER));
            assertThat(found.status()).as(found.describe()).isEqualTo(200);
            assertThat(found.data().path("project_name").asString()).isEqualTo("http-created");
        });
    }

    @Test
    void aCommandFromKafkaIsAnsweredOnTheResultsTopicAndProjected() {
        String commandId = UUID.randomUUID().toString();
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("command_id", commandId);
        command.put("type", "CreateDeployment");
        command.put("tenant_id", TENANT_A);
        command.put("token", token(TENANT_A, Role.EDITOR));
        command.put("payload", Map.of("project_name", "kafka-created", "url", "https://kafka-created.example"));

        try (KafkaConsumer<String, String> results = resultsConsumer()) {
            try (KafkaProducer<String, String> producer = producer()) {
                producer.send(new ProducerRecord<>(Topics.COMMANDS, TENANT_A, JSON.writeValueAsString(command)));
            }
            Map<String, JsonNode> seen = new HashMap<>();
            EVENTUALLY.pollInSameThread().until(() -> {
                for (ConsumerRecord<String, String> record : results.poll(Duration.ofMillis(500))) {
                    seen.put(record.key(), JSON.readTree(record.value()));
                }
                return seen.containsKey(commandId);
            });
            JsonNode result = seen.get(commandId);
            assertThat(result.path("status").asString()).as(result.toString()).isEqualTo("accepted");
            assertThat(result.path("tenant_id").asString()).isEqualTo(TENANT_A);
            assertThat(result.path("position").isIntegralNumber()).isTrue();
            String id = result.path("id").asString();
            EVENTUALLY.untilAsserted(() -> {
                ApiClient.Response found = querySide.get("/api/deployments/" + id, token(TENANT_A, Role.VIEWER));
                assertThat(found.status()).as(found.describe()).isEqualTo(200);
                assertThat(found.data().path("project_name").asString()).isEqualTo("kafka-created");
            });
        }
    }

    @Test
    void anotherTenantSeesNothingOfIt() {
        ApiClient.Response accepted = commandSide.send(
                "POST", "/api/deployments", token(TENANT_A, Role.EDITOR), Map.of("project_name", "tenant-a-only"));
        assertThat(accepted.status()).as(accepted.describe()).isEqualTo(202);
        String id = accepted.data().path("id").asString();
        EVENTUALLY.untilAsserted(() -> assertThat(querySide
                        .get("/api/deployments/" + id, token(TENANT_A, Role.VIEWER))
                        .status())
                .isEqualTo(200));
        String tenantB = token(TENANT_B, Role.VIEWER);

        ApiClient.Response byId = querySide.get("/api/deployments/" + id, tenantB);
        assertThat(byId.status()).isEqualTo(404);
        assertThat(byId.errorCode()).isEqualTo("NOT_FOUND");

        ApiClient.Response list = querySide.get("/api/deployments", tenantB);
        assertThat(list.status()).as(list.describe()).isEqualTo(200);
        assertThat(list.data().isArray()).isTrue();
        assertThat(list.data().isEmpty()).isTrue();
        assertThat(list.body().path("tenant_id").asString()).isEqualTo(TENANT_B);

        ApiClient.Response stats =
                querySide.get("/api/tenants/" + TENANT_A + "/stats", tenantB, "X-Tenant-ID", TENANT_A);
        assertThat(stats.status()).isEqualTo(403);
        assertThat(stats.errorCode()).isEqualTo("TENANT_FORBIDDEN");

        ApiClient.Response byHeader = querySide.get("/api/deployments", tenantB, "X-Tenant-ID", TENANT_A);
        assertThat(byHeader.status()).isEqualTo(403);
        assertThat(byHeader.errorCode()).isEqualTo("TENANT_FORBIDDEN");

        ApiClient.Response byParameter = querySide.get("/api/deployments?tenant_id=" + TENANT_A, tenantB);
        assertThat(byParameter.status()).isEqualTo(403);
        assertThat(byParameter.errorCode()).isEqualTo("TENANT_FORBIDDEN");
    }

    private static String token(String tenant, Role role) {
        return tokens.issue("it-" + role.jsonName(), tenant, Set.of(role), Set.of(), false, Duration.ofHours(1));
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, run.kafkaBootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    /** Reads the whole results topic from its start, without a consumer group to join. */
    private static KafkaConsumer<String, String> resultsConsumer() {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, run.kafkaBootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.COMMAND_RESULTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
