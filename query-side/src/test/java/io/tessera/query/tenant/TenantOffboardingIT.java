package io.tessera.query.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.EventCatalog;
import io.tessera.events.Topics;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.tenant.TenantOffboarded;
import io.tessera.events.tenant.TenantSuspended;
import io.tessera.events.user.Role;
import io.tessera.events.user.UserCreated;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.security.TokenIssuer;
import io.tessera.query.QuerySideApplication;
import io.tessera.query.TestKafka;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A suspended tenant stays readable; an offboarded one leaves nothing readable behind but the offboarding
 * event in its audit, while another tenant is untouched. CloudEvents published as the command side does.
 */
@SpringBootTest(
        classes = QuerySideApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + QuerySideApplication.CONFIG_NAME,
            "tessera.jwt.secret=" + TenantOffboardingIT.SECRET,
            "tessera.jwt.issuer=",
            "tessera.query.min-position-timeout=10s"
        })
class TenantOffboardingIT {

    static final String SECRET = "query-side-integration-test-secret-0123456789";
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final AtomicLong POSITIONS = new AtomicLong(System.currentTimeMillis() * 1000 + 500_000_000L);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TokenIssuer TOKENS = new TokenIssuer(SECRET, null);
    private static final Instant TIME = Instant.parse("2024-07-01T09:00:00Z");
    private static KafkaProducer<String, String> producer;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LocalInfrastructure.shared().springProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @BeforeAll
    static void startProducer() {
        producer = TestKafka.producer();
    }

    @AfterAll
    static void stopProducer() {
        producer.close();
    }

    @Test
    void suspendedTenantStaysReadableAndOffboardedTenantLeavesNothingReadable() {
        String tenant = newTenant();
        String other = newTenant();
        seed(tenant);
        seed(other);
        awaitOk(tenant, "/api/deployments/dep-1");
        awaitOk(other, "/api/deployments/dep-1");
        await().atMost(PATIENCE).until(() -> ids(get(tenant, "/api/users")).size() == 1);

        publish(tenant, tenant, 1, new TenantSuspended(tenant));
        await().atMost(PATIENCE)
                .until(() -> "suspended"
                        .equals(get(tenant, "/api/tenants")
                                .body()
                                .at("/data/0/status")
                                .asString()));
        assertThat(get(tenant, "/api/deployments/dep-1").status()).isEqualTo(200);
        assertThat(get(tenant, "/api/tenants/" + tenant + "/stats").status()).isEqualTo(200);

        long offboarding = publish(tenant, tenant, 2, new TenantOffboarded(tenant));
        await().atMost(PATIENCE)
                .until(() -> get(tenant, "/api/tenants/" + tenant + "/stats").status() == 404);

        assertEmptyList(get(tenant, "/api/deployments", offboarding));
        assertEmptyList(get(tenant, "/api/workflows"));
        assertEmptyList(get(tenant, "/api/users"));
        assertNotFound(get(tenant, "/api/deployments/dep-1"));
        assertNotFound(get(tenant, "/api/workflows/wf-1"));
        assertNotFound(get(tenant, "/api/tenants/" + tenant + "/stats"));
        Response events = getAs(Role.AUDITOR, tenant, "/api/events");
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.body().get("data")).hasSize(1);
        assertThat(events.body().at("/data/0/type").asString()).isEqualTo("tessera.tenant.offboarded.v1");
        assertThat(events.body().at("/data/0/position").asLong()).isEqualTo(offboarding);
        Response audit = getAs(Role.AUDITOR, tenant, "/api/audit");
        assertThat(audit.body().get("data")).hasSize(1);
        assertThat(audit.body().at("/data/0/action").asString()).isEqualTo("tenant.offboarded");
        assertThat(get(tenant, "/api/tenants").body().at("/data/0/status").asString())
                .isEqualTo("offboarded");

        long late = publish(tenant, "dep-late", 0, deployment(tenant, "dep-late"));
        publish(tenant, "dep-1", 0, deployment(tenant, "dep-1"));
        long redelivered = publish(tenant, "wf-2", 0, workflow(tenant, "wf-2"));
        assertEmptyList(get(tenant, "/api/deployments", Math.max(late, redelivered)));
        assertEmptyList(get(tenant, "/api/workflows"));
        for (String table : List.of("deployments", "workflows", "users", "tenant_stats")) {
            assertThat(jdbc.sql("SELECT count(*) FROM " + table + " WHERE tenant_id = :tenant")
                            .param("tenant", tenant)
                            .query(Long.class)
                            .single())
                    .as(table)
                    .isZero();
        }
        assertThat(jdbc.sql("SELECT type FROM event_log WHERE tenant_id = :tenant")
                        .param("tenant", tenant)
                        .query(String.class)
                        .list())
                .containsExactly("tessera.tenant.offboarded.v1");

        assertThat(ids(get(other, "/api/deployments"))).containsExactly("dep-1");
        assertThat(ids(get(other, "/api/workflows"))).containsExactly("wf-1");
        assertThat(ids(get(other, "/api/users"))).hasSize(1);
        Response otherStats = get(other, "/api/tenants/" + other + "/stats");
        assertThat(otherStats.status()).isEqualTo(200);
        assertThat(otherStats.body().at("/data/deployments/total").asLong()).isEqualTo(1);
        assertThat(getAs(Role.AUDITOR, other, "/api/events").body().get("data")).hasSize(4);
    }

    private void seed(String tenant) {
        publish(tenant, tenant, 0, new TenantCreated(tenant, "Tenant " + tenant, tenant, null));
        publish(tenant, "dep-1", 0, deployment(tenant, "dep-1"));
        publish(tenant, "wf-1", 0, workflow(tenant, "wf-1"));
        publish(tenant, "user-1", 0, new UserCreated(tenant, "user-1", "ann@" + tenant + ".example", Role.EDITOR));
    }

    private static DeploymentCreated deployment(String tenant, String id) {
        return new DeploymentCreated(tenant, id, "project " + id, null, DeploymentStatus.PENDING);
    }

    private static WorkflowCreated workflow(String tenant, String id) {
        return new WorkflowCreated(tenant, id, "flow " + id, Map.of("steps", 1), WorkflowStatus.DRAFT);
    }

    private static String newTenant() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** Returns the event's global position. */
    private static long publish(String tenant, String subject, long sequence, Object event) {
        ObjectNode root = JSON.createObjectNode();
        root.put("specversion", "1.0");
        root.put("id", UUID.randomUUID().toString());
        root.put("source", EventCatalog.SOURCE);
        root.put("type", EventCatalog.typeOf(event.getClass()));
        root.put("time", TIME.plusSeconds(sequence).toString());
        root.put("subject", subject);
        root.put("datacontenttype", "application/json");
        root.set("data", JSON.valueToTree(event));
        root.put("tenantid", tenant);
        root.put("sequence", sequence);
        long position = POSITIONS.incrementAndGet();
        root.put("position", position);
        root.put("actor", "integration-test");
        root.put("commandid", UUID.randomUUID().toString());
        producer.send(new ProducerRecord<>(Topics.EVENTS, tenant, root.toString()));
        producer.flush();
        return position;
    }

    private record Response(int status, JsonNode body) {}

    private Response get(String tenant, String path) {
        return getWithToken(token(tenant, Role.VIEWER), path, Map.of());
    }

    private Response get(String tenant, String path, long minPosition) {
        return getWithToken(token(tenant, Role.VIEWER), path, Map.of("X-Min-Position", Long.toString(minPosition)));
    }

    private Response getAs(Role role, String tenant, String path) {
        return getWithToken(token(tenant, role), path, Map.of());
    }

    private static String token(String tenant, Role role) {
        return TOKENS.issue(
                role.name().toLowerCase(Locale.ROOT) + "-of-" + tenant,
                tenant,
                Set.of(role),
                Set.of(),
                false,
                Duration.ofMinutes(30));
    }

    private Response getWithToken(String token, String path, Map<String, String> headers) {
        return RestClient.create()
                .get()
                .uri(URI.create("http://localhost:" + port + path))
                .headers(h -> {
                    h.setBearerAuth(token);
                    headers.forEach(h::set);
                })
                .exchange((request, response) -> new Response(
                        response.getStatusCode().value(),
                        JSON.readTree(response.getBody().readAllBytes())));
    }

    private void awaitOk(String tenant, String path) {
        await().atMost(PATIENCE).until(() -> get(tenant, path).status() == 200);
    }

    private static List<String> ids(Response response) {
        assertThat(response.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.body().get("data").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    private static void assertEmptyList(Response response) {
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("data")).isEmpty();
        assertThat(response.body().at("/pagination/total").asLong()).isZero();
    }

    private static void assertNotFound(Response response) {
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body().at("/error/code").asString()).isEqualTo("NOT_FOUND");
    }
}
