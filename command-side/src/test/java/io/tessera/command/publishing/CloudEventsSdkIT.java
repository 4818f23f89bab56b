package io.tessera.command.publishing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.tessera.command.CommandSideApplication;
import io.tessera.command.TestDatabases;
import io.tessera.events.EventCatalog;
import io.tessera.events.EventEnvelope;
import io.tessera.events.Topics;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.security.TokenIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code tessera.events} is readable by the CloudEvents Java SDK: its Kafka deserializer (structured mode, by the
 * {@code content-type} header) and JSON format give back every attribute and extension of a published event,
 * published and signed by the running command side. A position above 2^31 is shown on the publisher's own signed
 * record of a stored event at such a position: an event store cannot be moved there in a test (Axon's JDBC storage engine sizes a read
 * by the gap ahead of its token, so it cannot step over two billion unused positions at once, as a store that grew
 * there never has to).
 */
@SpringBootTest(
        classes = CommandSideApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + CommandSideApplication.CONFIG_NAME)
class CloudEventsSdkIT {

    private static final String SECRET = "cloudevents-sdk-integration-test-secret-0123456789";
    private static final long ABOVE_2_POW_31 = (1L << 31) + 1_000_000L;
    private static final Duration AWAIT = Duration.ofSeconds(90);

    private static Map<String, String> infrastructure;

    private final ObjectMapper json = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    Configuration axon;

    @Autowired
    CloudEventPublisher publisher;

    @Autowired
    KafkaTemplate<String, String> kafka;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        infrastructure = TestDatabases.freshDatabase("tessera_sdk");
        infrastructure.forEach((key, value) -> registry.add(key, () -> value));
        registry.add("tessera.jwt.secret", () -> SECRET);
    }

    @Test
    void theSdkReadsEveryAttributeOfAPublishedEvent() throws Exception {
        String tenant = "sdk-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaConsumer<String, CloudEvent> sdk = sdkConsumer()) {
            JsonNode accepted = createDeployment(tenant, "read-by-the-sdk");
            String deploymentId = accepted.at("/data/id").asText();
            long position = accepted.at("/data/position").asLong();
            ConsumerRecord<String, CloudEvent> record = awaitCreation(sdk, deploymentId);
            CloudEvent event = record.value();

            assertThat(record.key()).isEqualTo(tenant);
            assertThat(event.getSpecVersion().toString()).isEqualTo(EventEnvelope.SPEC_VERSION);
            assertThat(event.getId()).isNotBlank();
            assertThat(event.getSource()).isEqualTo(URI.create(EventCatalog.SOURCE));
            assertThat(event.getType()).isEqualTo(EventCatalog.typeOf(DeploymentCreated.class));
            assertThat(event.getTime().toInstant()).isBetween(Instant.now().minusSeconds(300), Instant.now());
            assertThat(event.getSubject()).isEqualTo(deploymentId);
            assertThat(event.getDataContentType()).isEqualTo(EventEnvelope.JSON);
            JsonNode data = json.readTree(event.getData().toBytes());
            assertThat(data.get("tenant_id").asText()).isEqualTo(tenant);
            assertThat(data.get("name").asText()).isEqualTo("read-by-the-sdk");
            assertThat(event.getExtension(EventEnvelope.TENANTID)).isEqualTo(tenant);
            assertThat(event.getExtension(EventEnvelope.POSITION)).isEqualTo(Long.toString(position));
            assertThat(event.getExtension(EventEnvelope.SEQUENCE)).isEqualTo(EventEnvelope.sequenceText(0));
            assertThat(event.getExtension(EventEnvelope.ACTOR)).isEqualTo("alice");
            assertThat(event.getExtension(EventEnvelope.COMMANDID))
                    .isEqualTo(accepted.at("/data/command_id").asText());
            assertThat(event.getExtension(EventEnvelope.KEYID))
                    .isEqualTo(LocalInfrastructure.shared().eventSigningKeyId());
            assertThat((String) event.getExtension(EventEnvelope.SIGNATURE)).isNotBlank();
        }
    }

    @Test
    void theSdkReadsAPositionAbove2Pow31() throws Exception {
        String tenant = "sdk-" + UUID.randomUUID().toString().substring(0, 8);
        String deploymentId =
                createDeployment(tenant, "far-along").at("/data/id").asText();
        DomainEventMessage<?> stored = axon.eventStore()
                .readEvents(deploymentId)
                .asStream()
                .findFirst()
                .orElseThrow();
        EventEnvelope farAlong = publisher.signed(publisher.toCloudEvent(stored).at(ABOVE_2_POW_31));
        try (KafkaConsumer<String, CloudEvent> sdk = sdkConsumer()) {
            kafka.send(publisher.record(farAlong)).get(30, TimeUnit.SECONDS);

            CloudEvent event = await().atMost(AWAIT)
                    .until(
                            () -> firstRecord(
                                    sdk,
                                    e -> Long.toString(ABOVE_2_POW_31).equals(e.getExtension(EventEnvelope.POSITION))),
                            Optional::isPresent)
                    .orElseThrow()
                    .value();

            assertThat(event.getExtension(EventEnvelope.POSITION)).isEqualTo(Long.toString(ABOVE_2_POW_31));
            assertThat(Long.parseLong((String) event.getExtension(EventEnvelope.POSITION)))
                    .isGreaterThan(Integer.MAX_VALUE);
            assertThat(event.getExtension(EventEnvelope.TENANTID)).isEqualTo(tenant);
            assertThat(event.getSubject()).isEqualTo(deploymentId);
            assertThat(event.getExtension(EventEnvelope.SIGNATURE)).isEqualTo(farAlong.signature());
        }
    }

    private ConsumerRecord<String, CloudEvent> awaitCreation(KafkaConsumer<String, CloudEvent> sdk, String id) {
        return await().atMost(AWAIT)
                .until(
                        () -> firstRecord(
                                sdk,
                                e -> id.equals(e.getSubject())
                                        && EventCatalog.typeOf(DeploymentCreated.class)
                                                .equals(e.getType())),
                        Optional::isPresent)
                .orElseThrow();
    }

    /** Polls once and answers the first record the SDK read that matches. */
    private static Optional<ConsumerRecord<String, CloudEvent>> firstRecord(
            KafkaConsumer<String, CloudEvent> sdk, Predicate<CloudEvent> matches) {
        List<ConsumerRecord<String, CloudEvent>> seen = new ArrayList<>();
        sdk.poll(Duration.ofMillis(500)).forEach(seen::add);
        return seen.stream()
                .filter(r -> r.value() != null && matches.test(r.value()))
                .findFirst();
    }

    private KafkaConsumer<String, CloudEvent> sdkConsumer() {
        KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                infrastructure.get("spring.kafka.bootstrap-servers"),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                CloudEventDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false));
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS).stream()
                .map(p -> new TopicPartition(Topics.EVENTS, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private JsonNode createDeployment(String tenant, String project) throws Exception {
        String token = new TokenIssuer(SECRET, null)
                .issue("alice", tenant, List.of(Role.EDITOR), List.of(), false, Duration.ofHours(1));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/deployments"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("project_name", project))))
                .build();
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json.readTree(response.body());
    }
}
