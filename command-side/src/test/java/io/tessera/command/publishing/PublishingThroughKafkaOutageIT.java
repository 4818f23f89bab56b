package io.tessera.command.publishing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.command.CommandSideApplication;
import io.tessera.command.TestDatabases;
import io.tessera.command.TopicProbe;
import io.tessera.events.EventCatalog;
import io.tessera.events.Topics;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalKafka;
import io.tessera.infra.security.TokenIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The event store is the outbox: events stored while Kafka is down reach {@code tessera.events} once it is
 * back, every stored event at least once, first occurrences in position order per tenant, and nothing that
 * was not stored. Runs on a Kafka broker of its own, stopped and started again on the same port and log
 * directory (same cluster, data kept), so the other tests' shared broker is never touched.
 */
@SpringBootTest(
        classes = CommandSideApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + CommandSideApplication.CONFIG_NAME,
            "management.endpoint.health.show-details=always",
            "tessera.health.publisher-lag-limit=1s"
        })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The context publishes to a broker only this class knows; no other test may reuse it.
@DirtiesContext
class PublishingThroughKafkaOutageIT {

    private static final String SECRET = "publishing-outage-integration-test-secret-0123456789";
    private static final Duration AWAIT = Duration.ofSeconds(120);
    // Two failed tries with Kafka down: the 30 s wait for acks, then up to 60 s blocked on metadata (max.block.ms).
    private static final Duration TWO_FAILURES = Duration.ofSeconds(240);
    private static final int CREATED_DURING_OUTAGE = 5;
    private static final String DEPLOYMENT_CREATED = EventCatalog.typeOf(DeploymentCreated.class);

    private static Path kafkaDirectory;
    private static int kafkaPort;
    private static LocalKafka kafka;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final TokenIssuer tokens = new TokenIssuer(SECRET, null);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Configuration axon;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
        // A database of its own too: the other contexts of this JVM would otherwise own part of the
        // publisher's segments and publish this test's events to the shared broker.
        TestDatabases.freshDatabase("tessera_outage").forEach((key, value) -> registry.add(key, () -> value));
        registry.add("tessera.jwt.secret", () -> SECRET);
        startDedicatedKafka();
        String bootstrap = kafka.bootstrapServers();
        registry.add("spring.kafka.bootstrap-servers", () -> bootstrap);
    }

    private static synchronized void startDedicatedKafka() throws IOException {
        if (kafka != null) {
            return;
        }
        kafkaDirectory = Files.createTempDirectory("tessera-outage-kafka");
        kafkaPort = freePort();
        kafka = LocalKafka.start(kafkaDirectory, kafkaPort);
        // Stopped at JVM exit, after @DirtiesContext closed the application while the broker was still up.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(PublishingThroughKafkaOutageIT::stopKafka, "outage-kafka-stop"));
    }

    private static synchronized void stopKafka() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    @Test
    void eventsStoredWhileKafkaIsDownArePublishedOnceItIsBack() throws Exception {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 12);
        List<String> deployments = new ArrayList<>();

        // Baseline: the processor of this context publishes to the dedicated broker.
        deployments.add(createDeployment(tenant, "before-outage"));
        assertThat(storedIds(tenant)).hasSize(3); // provisioned, quota consumed, deployment created
        try (Probe probe = new Probe(kafka.bootstrapServers())) {
            await().atMost(AWAIT).until(() -> probe.publishedIds(tenant).containsAll(storedIds(tenant)));
        }
        await().atMost(AWAIT).until(() -> health("/readiness").status() == 200);
        assertThat(health("/readiness").components())
                .containsEntry("kafka", "UP")
                .containsEntry("publisher", "UP");

        ListAppender<ILoggingEvent> processorLog = new ListAppender<>();
        Logger processorLogger = (Logger) LoggerFactory.getLogger(TrackingEventProcessor.class);
        processorLog.start();
        processorLogger.addAppender(processorLog);

        try {
            stopKafka();
            for (int i = 0; i < CREATED_DURING_OUTAGE; i++) {
                long started = System.nanoTime();
                deployments.add(createDeployment(tenant, "during-outage-" + i));
                System.out.printf(
                        "[outage-it] creation %d answered 202 in %d ms with Kafka down%n",
                        i, Duration.ofNanos(System.nanoTime() - started).toMillis());
            }
            // The processor tried the batch with Kafka away, failed, retried after its back-off and failed
            // again: it keeps retrying rather than giving up or moving on.
            await().atMost(TWO_FAILURES).until(() -> retries(processorLog) >= 2);
            // Not ready: Kafka does not answer, and stored events wait longer than the limit. Alive, and
            // /actuator/health stays 200: commands are still taken (the event store is the outbox).
            await().atMost(AWAIT).until(() -> health("/readiness").status() == 503);
            Health notReady = health("/readiness");
            System.out.printf("[outage-it] readiness with Kafka down: %s%n", notReady.components());
            assertThat(notReady.components())
                    .containsEntry("kafka", "OUT_OF_SERVICE")
                    .containsEntry("publisher", "OUT_OF_SERVICE")
                    .containsEntry("db", "UP");
            assertThat(health("/liveness").status()).isEqualTo(200);
            assertThat(health("").status()).isEqualTo(200);
        } finally {
            processorLogger.detachAppender(processorLog);
        }
        assertThat(publisherStatus().values()).anyMatch(EventTrackerStatus::isErrorState);
        assertThat(storedIds(tenant)).hasSize(1 + 2 * deployments.size());

        long restarting = System.nanoTime();
        kafka = LocalKafka.start(kafkaDirectory, kafkaPort);
        long started = System.nanoTime();
        try (Probe probe = new Probe(kafka.bootstrapServers())) {
            await().atMost(AWAIT).until(() -> probe.publishedIds(tenant).containsAll(storedIds(tenant)));
            long published = System.nanoTime();
            System.out.printf(
                    "[outage-it] broker restart took %d ms; all %d events of the tenant on %s %d ms after it was up%n",
                    Duration.ofNanos(started - restarting).toMillis(),
                    storedIds(tenant).size(),
                    Topics.EVENTS,
                    Duration.ofNanos(published - started).toMillis());

            await().atMost(AWAIT).until(() -> health("/readiness").status() == 200);

            Map<String, Long> stored = storedPositions(tenant);
            List<ConsumerRecord<String, String>> records = probe.records(tenant);
            List<JsonNode> events = records.stream().map(this::read).toList();

            // Every stored event is there (at least once), and nothing that was not stored.
            assertThat(events).extracting(e -> e.get("id").asText()).containsAll(stored.keySet());
            assertThat(stored.keySet())
                    .containsAll(events.stream().map(e -> e.get("id").asText()).toList());
            assertThat(storedEventIds()).containsAll(probe.allPublishedIds());
            // Each copy carries the position of the stored event; first occurrences follow the positions.
            assertThat(events)
                    .allSatisfy(e -> assertThat(e.get("position").asLong())
                            .isEqualTo(stored.get(e.get("id").asText())));
            List<Long> firstOccurrences = firstOccurrencePositions(events);
            assertThat(firstOccurrences)
                    .hasSize(stored.size())
                    .isSortedAccordingTo(Comparator.naturalOrder())
                    .doesNotHaveDuplicates();
            // One tenant, one key, one partition.
            assertThat(records).extracting(ConsumerRecord::key).containsOnly(tenant);
            assertThat(records)
                    .extracting(ConsumerRecord::partition)
                    .containsOnly(records.get(0).partition());
            assertThat(events.stream()
                            .filter(e -> DEPLOYMENT_CREATED.equals(e.get("type").asText()))
                            .map(e -> e.get("subject").asText())
                            .distinct())
                    .containsExactlyElementsOf(deployments);
            System.out.printf(
                    "[outage-it] %d records for %d stored events (%d redelivered copies)%n",
                    events.size(), stored.size(), events.size() - stored.size());
        }

        // The processor left retry mode and its token moved past the tenant's last event.
        long last = storedPositions(tenant).values().stream()
                .mapToLong(Long::longValue)
                .max()
                .orElseThrow();
        await().atMost(AWAIT).untilAsserted(() -> {
            Map<Integer, EventTrackerStatus> segments = publisherStatus();
            assertThat(segments.values()).noneMatch(EventTrackerStatus::isErrorState);
            assertThat(segments.values().stream()
                            .mapToLong(status -> status.getCurrentPosition().orElse(-1))
                            .max()
                            .orElse(-1))
                    .isGreaterThanOrEqualTo(last);
        });
    }

    /** How often the publisher released its token to retry after its back-off. */
    private static long retries(ListAppender<ILoggingEvent> processorLog) {
        List<ILoggingEvent> logged;
        synchronized (processorLog) { // AppenderBase appends under this lock
            logged = List.copyOf(processorLog.list);
        }
        return logged.stream()
                .filter(e -> e.getThreadName().contains(CloudEventPublisher.PROCESSOR))
                .filter(e -> e.getFormattedMessage().startsWith("Releasing claim on token and preparing for retry"))
                .count();
    }

    /** The segments this context publishes: all of them, as it is the only instance on its database. */
    private Map<Integer, EventTrackerStatus> publisherStatus() {
        TrackingEventProcessor processor = axon.eventProcessingConfiguration()
                .eventProcessor(CloudEventPublisher.PROCESSOR, TrackingEventProcessor.class)
                .orElseThrow();
        Map<Integer, EventTrackerStatus> segments = Map.copyOf(processor.processingStatus());
        assertThat(segments).isNotEmpty();
        return segments;
    }

    private static List<Long> firstOccurrencePositions(List<JsonNode> events) {
        Set<String> seen = new HashSet<>();
        List<Long> positions = new ArrayList<>();
        for (JsonNode event : events) {
            if (seen.add(event.get("id").asText())) {
                positions.add(event.get("position").asLong());
            }
        }
        return positions;
    }

    /** The tenant's stored events, by event id, with their global index. */
    private Map<String, Long> storedPositions(String tenant) {
        Map<String, Long> positions = new LinkedHashMap<>();
        jdbc.query(
                """
                SELECT event_identifier, global_index FROM command_side.domain_event_entry
                WHERE convert_from(meta_data, 'UTF8')::jsonb ->> 'tenant_id' = ?
                ORDER BY global_index
                """,
                rs -> {
                    positions.put(rs.getString("event_identifier"), rs.getLong("global_index"));
                },
                tenant);
        return positions;
    }

    private Set<String> storedIds(String tenant) {
        return storedPositions(tenant).keySet();
    }

    private Set<String> storedEventIds() {
        return new HashSet<>(
                jdbc.queryForList("SELECT event_identifier FROM command_side.domain_event_entry", String.class));
    }

    private String createDeployment(String tenant, String project) throws IOException, InterruptedException {
        String token = tokens.issue("alice", tenant, List.of(Role.EDITOR), List.of(), false, Duration.ofHours(1));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/deployments"))
                .header("Authorization", "Bearer " + token)
                .header("X-Tenant-ID", tenant)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("project_name", project))))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json.readTree(response.body()).at("/data/id").asText();
    }

    /** A health group's HTTP status and its components' statuses. */
    record Health(int status, Map<String, String> components) {}

    private Health health(String group) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health" + group))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, String> components = new LinkedHashMap<>();
        json.readTree(response.body())
                .path("components")
                .properties()
                .forEach(component -> components.put(
                        component.getKey(), component.getValue().path("status").asText()));
        return new Health(response.statusCode(), components);
    }

    private JsonNode read(ConsumerRecord<String, String> record) {
        try {
            return json.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** Reads {@code tessera.events} of the dedicated broker from its beginning, records parsed once. */
    private final class Probe implements AutoCloseable {

        private final TopicProbe topic;
        private final Map<String, JsonNode> parsed = new HashMap<>();

        Probe(String bootstrap) {
            this.topic = new TopicProbe(bootstrap, Topics.EVENTS);
        }

        /** Ids of the tenant's events seen so far. */
        Set<String> publishedIds(String tenant) {
            Set<String> ids = new HashSet<>();
            records(tenant).forEach(r -> ids.add(parse(r).get("id").asText()));
            return ids;
        }

        /** The tenant's records in the order they were read (one partition: log order). */
        List<ConsumerRecord<String, String>> records(String tenant) {
            return topic.records().stream()
                    .filter(r -> tenant.equals(r.key())
                            || tenant.equals(parse(r).path("tenantid").asText()))
                    .toList();
        }

        Set<String> allPublishedIds() {
            Set<String> ids = new HashSet<>();
            topic.records().forEach(r -> ids.add(parse(r).get("id").asText()));
            return ids;
        }

        private JsonNode parse(ConsumerRecord<String, String> record) {
            return parsed.computeIfAbsent(record.partition() + "/" + record.offset(), k -> read(record));
        }

        @Override
        public void close() {
            topic.close();
        }
    }
}
