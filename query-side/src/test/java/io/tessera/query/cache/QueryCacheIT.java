package io.tessera.query.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.events.EventCatalog;
import io.tessera.events.EventEnvelope;
import io.tessera.events.Topics;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.tenant.TenantQuotas;
import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.security.TokenIssuer;
import io.tessera.query.QuerySideApplication;
import io.tessera.query.TestEvents;
import io.tessera.query.TestKafka;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two query-side instances on one PostgreSQL and one Kafka: answers are cached per tenant, and an event
 * of a tenant makes both instances answer fresh data (each follows the events for invalidation, whichever
 * instance projects the event), while other tenants' entries stay.
 */
class QueryCacheIT {

    private static final String SECRET = "query-cache-integration-test-secret-0123456789";
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final AtomicLong POSITIONS = new AtomicLong(System.currentTimeMillis() * 1000 + 500_000_000L);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TokenIssuer TOKENS = new TokenIssuer(SECRET, null);

    private static KafkaProducer<String, String> producer;
    private static Instance first;
    private static Instance second;

    private record Instance(ConfigurableApplicationContext context, int port) {

        static Instance start() {
            Map<String, Object> properties =
                    new LinkedHashMap<>(LocalInfrastructure.shared().springProperties());
            properties.put("spring.config.name", QuerySideApplication.CONFIG_NAME);
            properties.put("server.port", "0");
            properties.put("tessera.jwt.secret", SECRET);
            properties.put("tessera.jwt.issuer", "");
            properties.put("tessera.cache.ttl", "60s");
            // As command-line arguments: they win over query-side.yml (default properties would not).
            String[] arguments = properties.entrySet().stream()
                    .map(property -> "--" + property.getKey() + "=" + property.getValue())
                    .toArray(String[]::new);
            ConfigurableApplicationContext context =
                    new SpringApplicationBuilder(QuerySideApplication.class).run(arguments);
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            return new Instance(context, port);
        }

        boolean following() {
            return context.getBean(QueryCache.class).following();
        }

        double hits(String cache) {
            return gets(cache, "hit");
        }

        double misses(String cache) {
            return gets(cache, "miss");
        }

        private double gets(String cache, String result) {
            FunctionCounter counter = context.getBean(MeterRegistry.class)
                    .get("cache.gets")
                    .tags("cache", cache, "result", result)
                    .functionCounter();
            return counter.count();
        }

        double warmed() {
            return context.getBean(MeterRegistry.class)
                    .get("tessera.cache.warmed")
                    .counter()
                    .count();
        }

        JsonNode get(String tenant, String path) {
            return get(tenant, path, Map.of());
        }

        JsonNode get(String tenant, String path, Map<String, String> headers) {
            String token = TOKENS.issue(
                    "viewer-of-" + tenant, tenant, Set.of(Role.VIEWER), Set.of(), false, Duration.ofMinutes(30));
            return RestClient.create()
                    .get()
                    .uri(URI.create("http://localhost:" + port + path))
                    .headers(h -> {
                        h.setBearerAuth(token);
                        headers.forEach(h::set);
                    })
                    .exchange((request, response) -> {
                        JsonNode body = JSON.readTree(response.getBody().readAllBytes());
                        assertThat(response.getStatusCode().value())
                                .as(body.toString())
                                .isEqualTo(200);
                        return body;
                    });
        }

        long deployments(String tenant) {
            return get(tenant, "/api/deployments?status=pending")
                    .at("/pagination/total")
                    .asLong();
        }

        long statsTotal(String tenant) {
            return get(tenant, "/api/tenants/" + tenant + "/stats")
                    .at("/data/deployments/total")
                    .asLong();
        }
    }

    @BeforeAll
    static void start() {
        producer = TestKafka.producer();
        first = Instance.start();
        second = Instance.start();
        await().atMost(PATIENCE).until(() -> first.following() && second.following());
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.context().close();
        }
        if (first != null) {
            first.context().close();
        }
        producer.close();
    }

    @Test
    void anEventOfATenantRefreshesBothInstancesAndLeavesOtherTenantsCached() {
        String tenant = newTenant();
        String other = newTenant();
        publish(tenant, "dep-1");
        publish(other, "dep-1");
        for (Instance instance : List.of(first, second)) {
            await().atMost(PATIENCE).until(() -> instance.deployments(tenant) == 1 && instance.statsTotal(tenant) == 1);
            await().atMost(PATIENCE).until(() -> instance.deployments(other) == 1);
        }

        for (Instance instance : List.of(first, second)) {
            assertSecondRequestIsAHit(instance, QueryCache.DEPLOYMENTS, () -> instance.deployments(tenant), 1);
            assertSecondRequestIsAHit(instance, QueryCache.TENANT_STATS, () -> instance.statsTotal(tenant), 1);
            assertSecondRequestIsAHit(instance, QueryCache.DEPLOYMENTS, () -> instance.deployments(other), 1);
        }

        long published = System.nanoTime();
        publish(tenant, "dep-2");
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(() -> second.deployments(tenant) == 2);
        Duration window = Duration.ofNanos(System.nanoTime() - published);
        System.out.println("[QueryCacheIT] invalidation window, publish to fresh list on the second instance: "
                + window.toMillis() + " ms");
        await().atMost(PATIENCE).until(() -> first.deployments(tenant) == 2);
        assertThat(first.statsTotal(tenant)).isEqualTo(2);
        assertThat(second.statsTotal(tenant)).isEqualTo(2);

        for (Instance instance : List.of(first, second)) {
            double before = instance.hits(QueryCache.DEPLOYMENTS);
            assertThat(instance.deployments(other)).isEqualTo(1);
            assertThat(instance.hits(QueryCache.DEPLOYMENTS))
                    .as("the other tenant's entry survived the event")
                    .isEqualTo(before + 1);
        }
    }

    @Test
    void aMinimumPositionIsNeverAnsweredFromAnOlderEntry() {
        String tenant = newTenant();
        publish(tenant, "dep-1");
        await().atMost(PATIENCE).until(() -> second.deployments(tenant) == 1);
        assertSecondRequestIsAHit(second, QueryCache.DEPLOYMENTS, () -> second.deployments(tenant), 1);

        long position = publish(tenant, "dep-2");

        JsonNode fresh = second.get(
                tenant, "/api/deployments?status=pending", Map.of("X-Min-Position", String.valueOf(position)));
        assertThat(fresh.at("/pagination/total").asLong()).isEqualTo(2);
    }

    @Test
    void concurrentIdenticalRequestsLoadOnce() throws Exception {
        String tenant = newTenant();
        publish(tenant, "dep-1");
        await().atMost(PATIENCE).until(() -> first.deployments(tenant) == 1);
        String path = "/api/deployments?status=pending&q=dep&sort=created_at";
        double misses = first.misses(QueryCache.DEPLOYMENTS);
        double hits = first.hits(QueryCache.DEPLOYMENTS);
        int callers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CyclicBarrier together = new CyclicBarrier(callers);
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    together.await();
                    return first.get(tenant, path);
                }));
            }
            for (Future<JsonNode> answer : answers) {
                assertThat(answer.get().at("/pagination/total").asLong()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(first.misses(QueryCache.DEPLOYMENTS) - misses).as("loads").isEqualTo(1);
        assertThat(first.hits(QueryCache.DEPLOYMENTS) - hits).isEqualTo(callers - 1);
    }

    @Test
    void anInstanceStartedLaterWarmsTheFirstPagesOfRecentTenants() {
        String tenant = newTenant();
        publishTenantCreated(tenant);
        publish(tenant, "dep-1");
        await().atMost(PATIENCE).until(() -> first.deployments(tenant) == 1);
        await().atMost(PATIENCE).ignoreExceptions().until(() -> first.statsTotal(tenant) == 1);

        Instance third = Instance.start();
        try {
            CacheWarmer warmer = third.context().getBean(CacheWarmer.class);
            // Until the warming is over its loads move the counters; then only this request does.
            await().atMost(PATIENCE).until(() -> third.following() && warmer.finished());
            assertThat(third.warmed()).isPositive();
            double hits = third.hits(QueryCache.DEPLOYMENTS);
            double misses = third.misses(QueryCache.DEPLOYMENTS);

            assertThat(third.get(tenant, "/api/deployments")
                            .at("/pagination/total")
                            .asLong())
                    .isEqualTo(1);

            assertThat(third.hits(QueryCache.DEPLOYMENTS))
                    .as("first request, warmed")
                    .isEqualTo(hits + 1);
            assertThat(third.misses(QueryCache.DEPLOYMENTS)).isEqualTo(misses);
        } finally {
            third.context().close();
        }
    }

    private static void assertSecondRequestIsAHit(
            Instance instance, String cache, java.util.function.LongSupplier request, long expected) {
        assertThat(request.getAsLong()).isEqualTo(expected);
        double hits = instance.hits(cache);
        assertThat(request.getAsLong()).isEqualTo(expected);
        assertThat(instance.hits(cache)).isEqualTo(hits + 1);
    }

    private static String newTenant() {
        return "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static long publish(String tenant, String deployment) {
        return publish(
                tenant,
                deployment,
                new DeploymentCreated(tenant, deployment, "project " + deployment, null, DeploymentStatus.PENDING));
    }

    private static long publishTenantCreated(String tenant) {
        return publish(tenant, tenant, new TenantCreated(tenant, tenant, tenant, new TenantQuotas(100, 50)));
    }

    /** A CloudEvent exactly as the command side publishes it; returns its position. */
    private static long publish(String tenant, String subject, Record event) {
        ObjectNode root = JSON.createObjectNode();
        long position = POSITIONS.incrementAndGet();
        root.put("specversion", "1.0");
        root.put("id", UUID.randomUUID().toString());
        root.put("source", EventCatalog.SOURCE);
        root.put("type", EventCatalog.typeOf(event.getClass()));
        root.put("time", Instant.now().toString());
        root.put("subject", subject);
        root.put("datacontenttype", "application/json");
        root.set("data", JSON.valueToTree(event));
        root.put("tenantid", tenant);
        root.put("sequence", EventEnvelope.sequenceText(0));
        root.put("position", Long.toString(position));
        root.put("actor", "integration-test");
        root.put("commandid", UUID.randomUUID().toString());
        producer.send(new ProducerRecord<>(Topics.EVENTS, tenant, TestEvents.signed(root)));
        producer.flush();
        return position;
    }
}
