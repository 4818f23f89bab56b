package io.tessera.command;

import static io.tessera.command.CommandSideTests.editor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.events.Topics;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A command-side integration test on the shared infrastructure: HTTP calls with the test secret's tokens, commands
 * on {@code tessera.commands}, and probes of the topics the command side writes, each opened on first use.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CommandSideTestBase {

    protected static final Duration AWAIT = Duration.ofSeconds(60);

    protected final ObjectMapper json = new ObjectMapper();
    protected final JdbcTemplate jdbc = CommandSideTests.admin();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    protected int port;

    private KafkaProducer<String, String> producer;
    private Probe events;
    private Probe results;
    private Probe deadLetters;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        CommandSideTests.infrastructure(registry);
    }

    protected synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = CommandSideTests.producer();
        }
        return producer;
    }

    /** {@code tessera.events} from its beginning. */
    protected synchronized Probe events() {
        if (events == null) {
            events = new Probe(Topics.EVENTS);
        }
        return events;
    }

    /** {@code tessera.command-results} from its beginning. */
    protected synchronized Probe results() {
        if (results == null) {
            results = new Probe(Topics.COMMAND_RESULTS);
        }
        return results;
    }

    /** The commands' dead-letter topic from its beginning. */
    protected synchronized Probe deadLetters() {
        if (deadLetters == null) {
            deadLetters = new Probe(Topics.COMMANDS_DLQ);
        }
        return deadLetters;
    }

    @AfterAll
    void disconnect() {
        for (AutoCloseable opened : new AutoCloseable[] {producer, events, results, deadLetters}) {
            if (opened != null) {
                try {
                    opened.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    protected String createDeployment(String tenant) throws Exception {
        HttpResponse<String> response =
                post(tenant, editor(tenant), "/api/deployments", Map.of("project_name", "p"), null);
        assertThat(response.statusCode()).isEqualTo(202);
        return json.readTree(response.body()).at("/data/id").asText();
    }

    protected int eventsOfTenantStream(String tenant) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM command_side.domain_event_entry WHERE aggregate_identifier = ?",
                Integer.class,
                tenant);
    }

    protected HttpResponse<String> post(String tenant, String token, String path, Object body, String idempotencyKey)
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

    protected HttpResponse<String> send(String tenant, String token, String method, String path, Object body)
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
    protected final class Probe implements AutoCloseable {

        private final TopicProbe topic;

        Probe(String topic) {
            this.topic = CommandSideTests.probe(topic);
        }

        public JsonNode find(String subject) throws IOException {
            for (ConsumerRecord<String, String> record : topic.records()) {
                JsonNode node = json.readTree(record.value());
                if (subject.equals(node.path("subject").asText())) {
                    return node;
                }
            }
            return null;
        }

        public List<JsonNode> findAll(String key) throws IOException {
            List<JsonNode> found = new ArrayList<>();
            for (ConsumerRecord<String, String> record : topic.records()) {
                if (key.equals(record.key())) {
                    found.add(json.readTree(record.value()));
                }
            }
            return found;
        }

        public ConsumerRecord<String, String> findRaw(String value) {
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
