package io.tessera.query.projection;

import io.tessera.events.EventCatalog;
import io.tessera.events.Topics;
import io.tessera.events.user.Role;
import io.tessera.infra.security.TokenIssuer;
import io.tessera.query.TestKafka;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** CloudEvents on {@code tessera.events} as the command side publishes them, and HTTP calls with real tokens. */
final class TestEvents implements AutoCloseable {

    static final String SECRET = "query-side-projection-test-secret-0123456789";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final TokenIssuer TOKENS = new TokenIssuer(SECRET, null);
    private static final AtomicLong POSITIONS = new AtomicLong(System.currentTimeMillis() * 1000);

    private final KafkaProducer<String, String> producer;
    private final RestClient http = RestClient.create();
    private final int port;

    TestEvents(int port) {
        this.port = port;
        producer = TestKafka.producer();
    }

    static String newTenant() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    static long nextPosition() {
        return POSITIONS.incrementAndGet();
    }

    long publish(String tenant, String subject, long sequence, Instant time, Object event) {
        ObjectNode cloudEvent = cloudEvent(tenant, subject, sequence, time, event);
        send(tenant, cloudEvent.toString());
        return cloudEvent.get("position").asLong();
    }

    void send(String key, String value) {
        producer.send(new ProducerRecord<>(Topics.EVENTS, key, value));
    }

    void flush() {
        producer.flush();
    }

    static ObjectNode cloudEvent(String tenant, String subject, long sequence, Instant time, Object event) {
        ObjectNode root = JSON.createObjectNode();
        root.put("specversion", "1.0");
        root.put("id", UUID.randomUUID().toString());
        root.put("source", EventCatalog.SOURCE);
        root.put("type", EventCatalog.typeOf(event.getClass()));
        root.put("time", time.toString());
        root.put("subject", subject);
        root.put("datacontenttype", "application/json");
        root.set("data", JSON.valueToTree(event));
        root.put("tenantid", tenant);
        root.put("sequence", sequence);
        root.put("position", nextPosition());
        root.put("actor", "integration-test");
        root.put("commandid", UUID.randomUUID().toString());
        return root;
    }

    static String token(String tenant, Role... roles) {
        return TOKENS.issue(
                "test-" + List.of(roles).toString().toLowerCase(Locale.ROOT),
                tenant,
                Set.of(roles),
                Set.of(),
                false,
                Duration.ofMinutes(30));
    }

    static String platformAdmin() {
        return TOKENS.issue("operator", "platform", Set.of(), Set.of(), true, Duration.ofMinutes(30));
    }

    record Answer(int status, JsonNode body) {

        JsonNode data() {
            return body.path("data");
        }
    }

    Answer get(String token, String path) {
        return call(HttpMethod.GET, token, path);
    }

    Answer post(String token, String path) {
        return call(HttpMethod.POST, token, path);
    }

    private Answer call(HttpMethod method, String token, String path) {
        return http.method(method)
                .uri(URI.create("http://localhost:" + port + path))
                .headers(h -> h.setBearerAuth(token))
                .exchange((request, response) -> new Answer(
                        response.getStatusCode().value(),
                        JSON.readTree(response.getBody().readAllBytes())));
    }

    @Override
    public void close() {
        producer.close();
    }
}
