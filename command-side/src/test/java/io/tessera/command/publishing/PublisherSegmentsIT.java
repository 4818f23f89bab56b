package io.tessera.command.publishing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tessera.command.CommandSideApplication;
import io.tessera.command.TestDatabases;
import io.tessera.command.TopicProbe;
import io.tessera.events.Topics;
import io.tessera.events.user.Role;
import io.tessera.infra.security.TokenIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two command-side instances on one database split the publisher's segments and each publishes its share;
 * every stored event reaches {@code tessera.events} (at least once per event id), each tenant's first
 * occurrences in position order on one partition; a stopping instance hands its segments to the other.
 * The database starts with the single segment of an older deployment, which the new instances split.
 * The instances run on a database of their own, so no other test context of the JVM claims segments.
 */
class PublisherSegmentsIT {

    private static final String SECRET = "publisher-segments-integration-test-secret-0123456789";
    private static final Duration AWAIT = Duration.ofSeconds(120);
    private static final int TENANTS = 8;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final TokenIssuer tokens = new TokenIssuer(SECRET, null);
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> infrastructure = TestDatabases.freshDatabase("tessera_segments");
    private final List<String> tenants =
            IntStream.range(0, TENANTS).mapToObj(i -> "seg-" + run + "-" + i).toList();
    private final List<ConfigurableApplicationContext> started = new ArrayList<>();

    @AfterEach
    void stopInstances() {
        started.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void twoInstancesSplitTheSegmentsAndOneTakesOverWhenTheOtherStops() throws Exception {
        try (TopicProbe probe = new TopicProbe(infrastructure.get("spring.kafka.bootstrap-servers"), Topics.EVENTS)) {
            // An older deployment: one segment, published by one instance.
            ConfigurableApplicationContext old = start("--tessera.publisher.segments=1");
            createDeployments(List.of(old), 1);
            awaitAllPublished(old, probe);
            assertThat(segmentsInStore(old)).containsExactly(0);

            // A rolling upgrade: a new instance starts, the old one stops, the new one splits the token.
            ConfigurableApplicationContext first = start();
            old.close();
            await().atMost(AWAIT)
                    .untilAsserted(() -> assertThat(segmentsInStore(first)).containsExactly(0, 1, 2, 3));
            await().atMost(AWAIT).until(() -> owned(first).size() == 4);

            ConfigurableApplicationContext second = start();
            await().atMost(AWAIT).untilAsserted(() -> {
                assertThat(owned(first)).isNotEmpty();
                assertThat(owned(second)).isNotEmpty();
                assertThat(owned(first).size() + owned(second).size()).isEqualTo(4);
            });
            System.out.printf("[segments-it] two instances: segments %s and %s%n", owned(first), owned(second));

            long firstBefore = published(first);
            long secondBefore = published(second);
            createDeployments(List.of(first, second), 5);
            awaitAllPublished(first, probe);
            long byFirst = published(first) - firstBefore;
            long bySecond = published(second) - secondBefore;
            System.out.printf(
                    "[segments-it] %d tenants x 5 creations through both instances: %d events published by the"
                            + " first, %d by the second%n",
                    TENANTS, byFirst, bySecond);
            assertThat(byFirst).isPositive();
            assertThat(bySecond).isPositive();

            long stopping = System.nanoTime();
            second.close();
            await().atMost(AWAIT).until(() -> owned(first).size() == 4);
            System.out.printf(
                    "[segments-it] the second instance stopped; the first owned all 4 segments %d ms later%n",
                    Duration.ofNanos(System.nanoTime() - stopping).toMillis());
            createDeployments(List.of(first), 2);
            awaitAllPublished(first, probe);

            assertPublishedOnceOrMoreInTenantOrder(first, probe);
        }
    }

    private void assertPublishedOnceOrMoreInTenantOrder(ConfigurableApplicationContext instance, TopicProbe probe) {
        Map<String, Long> stored = storedPositions(instance);
        List<ConsumerRecord<String, String>> records = ours(probe);
        List<JsonNode> events = records.stream().map(this::read).toList();
        assertThat(events).extracting(e -> e.get("id").asText()).containsAll(stored.keySet());
        assertThat(stored.keySet())
                .containsAll(events.stream().map(e -> e.get("id").asText()).toList());
        // Concurrent commands of several tenants commit out of index order: each event still carries its own.
        assertThat(events)
                .allSatisfy(e -> assertThat(e.get("position").asLong())
                        .as("position of %s", e.get("id").asText())
                        .isEqualTo(stored.get(e.get("id").asText())));
        int copies = 0;
        for (String tenant : tenants) {
            List<ConsumerRecord<String, String>> ofTenant =
                    records.stream().filter(r -> tenant.equals(r.key())).toList();
            assertThat(ofTenant)
                    .extracting(ConsumerRecord::partition)
                    .containsOnly(ofTenant.get(0).partition());
            Set<String> seen = new HashSet<>();
            List<Long> firstOccurrences = new ArrayList<>();
            for (ConsumerRecord<String, String> record : ofTenant) {
                JsonNode event = read(record);
                assertThat(event.get("tenantid").asText()).isEqualTo(tenant);
                if (seen.add(event.get("id").asText())) {
                    firstOccurrences.add(event.get("position").asLong());
                } else {
                    copies++;
                }
            }
            assertThat(firstOccurrences)
                    .as("first occurrences of %s in position order", tenant)
                    .isSortedAccordingTo(Comparator.naturalOrder())
                    .doesNotHaveDuplicates();
        }
        System.out.printf(
                "[segments-it] %d stored events, %d records on %s (%d redelivered copies)%n",
                stored.size(), records.size(), Topics.EVENTS, copies);
    }

    private ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.config.name=" + CommandSideApplication.CONFIG_NAME,
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--tessera.jwt.secret=" + SECRET));
        infrastructure.forEach((key, value) -> args.add("--" + key + "=" + value));
        args.addAll(List.of(extra));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CommandSideApplication.class)
                .registerShutdownHook(false)
                .run(args.toArray(String[]::new));
        started.add(context);
        return context;
    }

    private void createDeployments(List<ConfigurableApplicationContext> instances, int perTenant) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            int n = 0;
            for (int i = 0; i < perTenant; i++) {
                for (String tenant : tenants) {
                    int port = port(instances.get(n++ % instances.size()));
                    answers.add(pool.submit(() -> createDeployment(port, tenant)));
                }
            }
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private HttpResponse<String> createDeployment(int port, String tenant) throws IOException, InterruptedException {
        String token = tokens.issue("alice", tenant, List.of(Role.EDITOR), List.of(), false, Duration.ofHours(1));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/deployments"))
                .header("Authorization", "Bearer " + token)
                .header("X-Tenant-ID", tenant)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("project_name", "seg"))))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private void awaitAllPublished(ConfigurableApplicationContext instance, TopicProbe probe) {
        await().atMost(AWAIT).until(() -> {
            Set<String> published = new HashSet<>();
            ours(probe).forEach(r -> published.add(read(r).get("id").asText()));
            return published.containsAll(storedPositions(instance).keySet());
        });
    }

    private List<ConsumerRecord<String, String>> ours(TopicProbe probe) {
        return probe.records().stream().filter(r -> tenants.contains(r.key())).toList();
    }

    /** Every event of this test's database (only this test's tenants), by id, with its global index. */
    private static Map<String, Long> storedPositions(ConfigurableApplicationContext instance) {
        Map<String, Long> positions = new LinkedHashMap<>();
        instance.getBean(JdbcTemplate.class)
                .query(
                        "SELECT event_identifier, global_index FROM command_side.domain_event_entry"
                                + " ORDER BY global_index",
                        rs -> {
                            positions.put(rs.getString("event_identifier"), rs.getLong("global_index"));
                        });
        return positions;
    }

    private static List<Integer> segmentsInStore(ConfigurableApplicationContext instance) {
        return instance.getBean(JdbcTemplate.class)
                .queryForList(
                        "SELECT segment FROM command_side.token_entry WHERE processor_name = ? ORDER BY segment",
                        Integer.class,
                        CloudEventPublisher.PROCESSOR);
    }

    private static Set<Integer> owned(ConfigurableApplicationContext instance) {
        return instance.getBean(Configuration.class)
                .eventProcessingConfiguration()
                .eventProcessor(CloudEventPublisher.PROCESSOR, TrackingEventProcessor.class)
                .orElseThrow()
                .processingStatus()
                .keySet();
    }

    /** Events this instance sent and Kafka acknowledged. */
    private static long published(ConfigurableApplicationContext instance) {
        Timer timer = instance.getBean(MeterRegistry.class)
                .find(CloudEventPublisher.PUBLISH_METRIC)
                .tag("outcome", "acknowledged")
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private static int port(ConfigurableApplicationContext instance) {
        return Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
    }

    private JsonNode read(ConsumerRecord<String, String> record) {
        try {
            return json.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
