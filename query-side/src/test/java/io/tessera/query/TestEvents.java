package io.tessera.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.EventCatalog;
import io.tessera.events.EventEnvelope;
import io.tessera.events.Topics;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.security.TokenIssuer;
import io.tessera.infra.signing.EventSigner;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The query side's integration-test fixture: the shared infrastructure as Spring properties, CloudEvents on
 * {@code tessera.events} as the command side publishes them, and HTTP calls with real tokens. One per test
 * (it owns a producer); positions come from one counter per JVM, so no two tests' events share one.
 */
public final class TestEvents implements AutoCloseable {

    public static final String SECRET = "query-side-integration-test-secret-0123456789";
    public static final JsonMapper JSON = JsonMapper.builder().build();
    public static final TokenIssuer TOKENS = new TokenIssuer(SECRET, null);
    /** How long an event may take to be projected on a machine shared by several builds. */
    public static final Duration PATIENCE = Duration.ofSeconds(90);

    private static final AtomicLong POSITIONS = new AtomicLong(System.currentTimeMillis() * 1000);

    private final KafkaProducer<String, String> producer;
    private final RestClient http = RestClient.create();
    private final int port;

    public TestEvents(int port) {
        this.port = port;
        producer = TestKafka.producer();
    }

    /** For a test's {@code @DynamicPropertySource}: the shared PostgreSQL, Kafka and master key. */
    public static void infrastructure(DynamicPropertyRegistry registry) {
        LocalInfrastructure.shared().springProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    /**
     * The superuser of the shared PostgreSQL, who sees and changes every row: for setting a test up and looking
     * at what it left, never for what the test proves (the application logs in as tessera_query).
     */
    public static DataSource adminDataSource() {
        LocalInfrastructure infrastructure = LocalInfrastructure.shared();
        return new DriverManagerDataSource(
                infrastructure.jdbcUrl() + (infrastructure.jdbcUrl().contains("?") ? "&" : "?")
                        + "currentSchema=query_side",
                infrastructure.dbUser(),
                infrastructure.dbPassword());
    }

    public static JdbcClient admin() {
        return JdbcClient.create(adminDataSource());
    }

    public static String newTenant() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    public static long nextPosition() {
        return POSITIONS.incrementAndGet();
    }

    /** Publishes and waits for the broker's acknowledgement; answers the event's position. */
    public long publish(String tenant, String subject, long sequence, Instant time, Object event) {
        return publish(cloudEvent(tenant, subject, sequence, time, event));
    }

    /** Publishes and waits for the broker's acknowledgement; answers the event's position. */
    public long publish(ObjectNode cloudEvent) {
        long position = send(cloudEvent);
        flush();
        return position;
    }

    /** Sends keyed by the event's tenant, signed as the command side signs, without waiting; answers the position. */
    public long send(ObjectNode cloudEvent) {
        send(cloudEvent.get(EventEnvelope.TENANTID).asString(), signed(cloudEvent));
        return Long.parseLong(cloudEvent.get(EventEnvelope.POSITION).asString());
    }

    /** The record as the command side would publish it: signed with the key the query side under test trusts. */
    public static String signed(ObjectNode cloudEvent) {
        ObjectNode signed = cloudEvent.deepCopy();
        signed.remove(EventEnvelope.KEYID);
        signed.remove(EventEnvelope.SIGNATURE);
        EventSigner signer = LocalInfrastructure.shared().eventSigner();
        String signature = signer.sign(signed.toString());
        signed.put(EventEnvelope.KEYID, signer.keyId());
        signed.put(EventEnvelope.SIGNATURE, signature);
        return signed.toString();
    }

    /** Sends the value as it is: unsigned unless it was signed before. */
    public void send(String key, String value) {
        producer.send(new ProducerRecord<>(Topics.EVENTS, key, value));
    }

    public void flush() {
        producer.flush();
    }

    public static ObjectNode cloudEvent(String tenant, String subject, long sequence, Instant time, Object event) {
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
        root.put("sequence", EventEnvelope.sequenceText(sequence));
        root.put("position", Long.toString(nextPosition()));
        root.put("actor", "integration-test");
        root.put("commandid", UUID.randomUUID().toString());
        return root;
    }

    /** The same CloudEvent, sent by {@code actor}. */
    public static ObjectNode cloudEvent(
            String tenant, String actor, String subject, long sequence, Instant time, Object event) {
        ObjectNode cloudEvent = cloudEvent(tenant, subject, sequence, time, event);
        cloudEvent.put("actor", actor);
        return cloudEvent;
    }

    public static DeploymentCreated deploymentCreated(String tenant, String id) {
        return new DeploymentCreated(tenant, id, "project " + id, null, DeploymentStatus.PENDING);
    }

    public static String token(String tenant, Role... roles) {
        return token(tenant, Set.of(), roles);
    }

    /** A token of {@code home} that may also act for {@code others}. */
    public static String token(String home, Set<String> others, Role... roles) {
        return TOKENS.issue(
                "test-" + List.of(roles).toString().toLowerCase(Locale.ROOT),
                home,
                Set.of(roles),
                others,
                false,
                Duration.ofMinutes(30));
    }

    public static String platformAdmin() {
        return TOKENS.issue("operator", "platform", Set.of(), Set.of(), true, Duration.ofMinutes(30));
    }

    public record Answer(int status, JsonNode body, HttpHeaders headers) {

        public JsonNode data() {
            return body.path("data");
        }

        public String retryAfter() {
            return headers.getFirst(HttpHeaders.RETRY_AFTER);
        }
    }

    public Answer get(String token, String path) {
        return call(HttpMethod.GET, token, path, Map.of());
    }

    public Answer get(String token, String path, Map<String, String> headers) {
        return call(HttpMethod.GET, token, path, headers);
    }

    /** Reads as a viewer of {@code tenant}. */
    public Answer asViewer(String tenant, String path) {
        return asViewer(tenant, path, Map.of());
    }

    public Answer asViewer(String tenant, String path, Map<String, String> headers) {
        return get(token(tenant, Role.VIEWER), path, headers);
    }

    public Answer as(Role role, String tenant, String path) {
        return get(token(tenant, role), path);
    }

    /** The body of the viewer's first 200 for {@code path}: what is read once its event has been projected. */
    public JsonNode awaitOk(String tenant, String path) {
        return await().atMost(PATIENCE)
                .until(() -> asViewer(tenant, path), answer -> answer.status() == 200)
                .body();
    }

    /**
     * Publishes a deployment {@code marker} after the tenant's events and waits until it is read: one tenant's
     * events are applied in order, so by then every one published before it has been applied (or skipped).
     */
    public void awaitApplied(String tenant) {
        publish(tenant, "marker", 0, Instant.EPOCH, deploymentCreated(tenant, "marker"));
        awaitOk(tenant, "/api/deployments/marker");
    }

    public static List<String> ids(Answer answer) {
        List<String> ids = new ArrayList<>();
        answer.body().get("data").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    public static List<Long> positions(Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        List<Long> positions = new ArrayList<>();
        answer.body()
                .get("data")
                .forEach(item -> positions.add(item.get("position").asLong()));
        return positions;
    }

    public static List<String> actions(Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        List<String> actions = new ArrayList<>();
        answer.body().get("data").forEach(item -> actions.add(item.get("action").asString()));
        return actions;
    }

    public static void assertForbidden(Answer answer) {
        assertError(answer, 403, "FORBIDDEN");
    }

    public static void assertNotFound(Answer answer) {
        assertError(answer, 404, "NOT_FOUND");
    }

    public static void assertTenantForbidden(Answer answer) {
        assertError(answer, 403, "TENANT_FORBIDDEN");
    }

    private static void assertError(Answer answer, int status, String code) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.body().at("/error/code").asString()).isEqualTo(code);
    }

    public Answer post(String token, String path) {
        return call(HttpMethod.POST, token, path, Map.of());
    }

    private Answer call(HttpMethod method, String token, String path, Map<String, String> headers) {
        return http.method(method)
                .uri(URI.create("http://localhost:" + port + path))
                .headers(h -> {
                    h.setBearerAuth(token);
                    headers.forEach(h::set);
                })
                .exchange((request, response) -> new Answer(
                        response.getStatusCode().value(),
                        JSON.readTree(response.getBody().readAllBytes()),
                        response.getHeaders()));
    }

    @Override
    public void close() {
        producer.close();
    }
}
