package io.tessera.query.projection;

import static io.tessera.query.TestEvents.PATIENCE;
import static io.tessera.query.TestEvents.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.events.EventEnvelope;
import io.tessera.events.Topics;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.tenant.TenantOffboarded;
import io.tessera.events.tenant.TenantQuotas;
import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.signing.Ed25519Keys;
import io.tessera.infra.signing.EventSigner;
import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.QuerySideTestBase;
import io.tessera.query.TestEvents;
import io.tessera.query.TestEvents.Answer;
import io.tessera.query.TestKafka;
import io.tessera.query.tenancy.TenantTransactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Only the command side's events are applied. Written to {@code tessera.events} by anyone else, an event (an
 * offboarding that would empty the tenant, a signature of another key, a genuine event altered after signing, an
 * unsigned one after signing began, whatever position it claims) reaches no read table, no audit chain; each is
 * dead-lettered with its reason for platform admins only, and counted in {@code tessera.events.unverified}. An
 * unsigned event on the topic before the query side recorded the grace (at its start), and claiming a position up
 * to the one recorded when signing began (here 1000), is still applied.
 */
@QuerySideIntegrationTest
@TestPropertySource(properties = "tessera.events.unsigned-until=1000")
class ForgedEventsIT extends QuerySideTestBase {

    private static final Instant TIME = Instant.parse("2026-03-01T09:00:00Z");
    private static final String TENANT = newTenant();

    /** The dead-letter store as an operator sees it: the query side's own login reads no table by itself. */
    private final JdbcClient jdbc = TestEvents.admin();

    @Autowired
    MeterRegistry meters;

    @Autowired
    EventTrust trust;

    @Autowired
    KafkaAdmin kafkaAdmin;

    @Autowired
    JdbcClient querySideJdbc;

    @Autowired
    TenantTransactions transactions;

    /**
     * Before the query side starts for the first time with the grace set: the command side published this unsigned,
     * at a position up to the one recorded then. A grace recorded by an earlier run on the same database is dropped.
     */
    @BeforeAll
    static void publishedBeforeSigningBegan() {
        TestEvents.admin()
                .sql("DO $$ BEGIN IF to_regclass('query_side.unsigned_grace') IS NOT NULL THEN"
                        + " DELETE FROM query_side.unsigned_grace; END IF; END $$")
                .update();
        ObjectNode beforeSigning = TestEvents.cloudEvent(
                TENANT, TENANT, 0, TIME, new TenantCreated(TENANT, TENANT, TENANT, TenantQuotas.DEFAULT));
        beforeSigning.put(EventEnvelope.POSITION, "1000");
        try (KafkaProducer<String, String> producer = TestKafka.producer()) {
            producer.send(new ProducerRecord<>(Topics.EVENTS, TENANT, beforeSigning.toString()));
        }
    }

    @Test
    void aRecordTheCommandSideDidNotSignChangesNothing() {
        String tenant = TENANT;
        kafka.publish(
                tenant,
                "dep-1",
                0,
                TIME,
                new DeploymentCreated(tenant, "dep-1", "shop", null, DeploymentStatus.PENDING));
        await().atMost(PATIENCE)
                .until(() -> get(tenant, "/api/deployments/dep-1").status() == 200);
        double unverifiedBefore = unverifiedCount();

        List<String> forged = new ArrayList<>();
        ObjectNode offboarding = TestEvents.cloudEvent(tenant, tenant, 1, TIME, new TenantOffboarded(tenant));
        forged.add(offboarding.toString());
        // The same, claiming a position from before signing began: written now, it is past the recorded offsets.
        ObjectNode claimingToBeOld = TestEvents.cloudEvent(tenant, tenant, 1, TIME, new TenantOffboarded(tenant));
        claimingToBeOld.put(EventEnvelope.POSITION, "7");
        forged.add(claimingToBeOld.toString());
        ObjectNode byAStranger = TestEvents.cloudEvent(tenant, tenant, 1, TIME, new TenantOffboarded(tenant));
        EventSigner stranger =
                new EventSigner("stranger", Ed25519Keys.generate().getPrivate());
        // Signed by another key, under the id of the trusted one.
        String strangersSignature = stranger.sign(byAStranger.toString());
        byAStranger.put(EventEnvelope.KEYID, keyIdOfTest());
        byAStranger.put(EventEnvelope.SIGNATURE, strangersSignature);
        forged.add(byAStranger.toString());
        ObjectNode altered = (ObjectNode) TestEvents.JSON.readTree(TestEvents.signed(TestEvents.cloudEvent(
                tenant,
                "dep-1",
                1,
                TIME,
                new DeploymentStatusChanged(tenant, "dep-1", DeploymentStatus.PENDING, DeploymentStatus.FAILED))));
        ((ObjectNode) altered.get(EventEnvelope.DATA)).put("to", "active");
        forged.add(altered.toString());
        forged.forEach(record -> kafka.send(tenant, record));
        long marker = kafka.publish(
                tenant,
                "dep-2",
                0,
                TIME,
                new DeploymentCreated(tenant, "dep-2", "next", null, DeploymentStatus.PENDING));

        await().atMost(PATIENCE)
                .until(() -> get(tenant, "/api/deployments/dep-2", marker).status() == 200
                        && unverifiedCount() - unverifiedBefore >= forged.size());
        assertThat(get(tenant, "/api/deployments/dep-1").data().path("status").asString())
                .isEqualTo("pending");
        assertThat(get(tenant, "/api/tenants").data().path(0).path("status").asString())
                .isEqualTo("active");
        List<String> logged = new ArrayList<>();
        getAs(Role.AUDITOR, tenant, "/api/events?limit=100")
                .data()
                .forEach(e -> logged.add(e.path("type").asString()));
        assertThat(logged)
                .containsExactly(
                        "tessera.tenant.created.v1", "tessera.deployment.created.v2", "tessera.deployment.created.v2");
        JsonNode chain = getAs(Role.AUDITOR, tenant, "/api/audit/verify").data();
        assertThat(chain.path("ok").asBoolean()).isTrue();
        assertThat(chain.path("entries_checked").asLong()).isEqualTo(3);

        List<Map<String, Object>> letters = jdbc.sql("SELECT tenant_id, error FROM query_side.dead_letters"
                        + " WHERE record LIKE :tenant ORDER BY enqueued_at")
                .param("tenant", "%" + tenant + "%")
                .query()
                .listOfRows();
        assertThat(letters).hasSize(forged.size());
        assertThat(letters)
                .allSatisfy(letter -> assertThat(letter.get("tenant_id")).isNull());
        assertThat(letters)
                .extracting(letter -> ((String) letter.get("error"))
                        .replaceAll(
                                "\\(offset \\d+ of partition \\d+; unsigned records end at offset \\d+\\)", "(...)"))
                .containsExactlyInAnyOrder(
                        "unverified: unsigned, after position 1000 (signing began there)",
                        "unverified: unsigned, written after signing began (...)",
                        "unverified: signature does not verify with key " + keyIdOfTest(),
                        "unverified: signature does not verify with key " + keyIdOfTest());
        assertThat(unverifiedCount() - unverifiedBefore).isEqualTo(forged.size());

        // Retried, the forgery claiming an old position is judged by where the broker put it, as on arrival.
        String claimingToBeOldLetter = jdbc.sql("SELECT id FROM query_side.dead_letters"
                        + " WHERE record LIKE :tenant AND error LIKE '%written after signing began%'")
                .param("tenant", "%" + tenant + "%")
                .query(String.class)
                .single();
        Answer retried =
                kafka.post(TestEvents.platformAdmin(), "/api/admin/dead-letters/" + claimingToBeOldLetter + "/retry");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.data().path("applied").asInt()).isZero();
        assertThat(retried.data().path("error").asString())
                .startsWith("unverified: unsigned, written after signing began (offset ");
        assertThat(get(tenant, "/api/tenants").data().path(0).path("status").asString())
                .isEqualTo("active");
    }

    /** Another start (or instance) reads the recorded offsets back; it never records the topic's end anew. */
    @Test
    void theGraceIsRecordedOnceAndReadBackByEveryLaterStart() {
        Map<Integer, Long> recorded = recordedGrace();
        int partition = recorded.entrySet().stream()
                .filter(entry -> entry.getValue() > 0)
                .findFirst()
                .orElseThrow()
                .getKey();
        long end = recorded.get(partition);

        UnsignedGrace anotherStart = new UnsignedGrace(trust, kafkaAdmin, querySideJdbc, transactions);

        assertThat(recordedGrace()).isEqualTo(recorded);
        assertThat(anotherStart.refusal(new RecordPlace(Topics.EVENTS, partition, end - 1), 5))
                .isNull();
        assertThat(anotherStart.refusal(new RecordPlace(Topics.EVENTS, partition, end), 5))
                .startsWith("unsigned, written after signing began");
    }

    private Map<Integer, Long> recordedGrace() {
        Map<Integer, Long> offsets = new java.util.HashMap<>();
        jdbc.sql("SELECT topic_partition, end_offset FROM query_side.unsigned_grace")
                .query((row, i) -> offsets.put(row.getInt(1), row.getLong(2)))
                .list();
        return offsets;
    }

    private static String keyIdOfTest() {
        return LocalInfrastructure.shared().eventSigningKeyId();
    }

    private double unverifiedCount() {
        return meters.counter("tessera.events.unverified").count();
    }

    private Answer get(String tenant, String path) {
        return getAs(Role.VIEWER, tenant, path);
    }

    private Answer get(String tenant, String path, long minPosition) {
        return kafka.get(
                TestEvents.token(tenant, Role.VIEWER), path, Map.of("X-Min-Position", Long.toString(minPosition)));
    }

    private Answer getAs(Role role, String tenant, String path) {
        return kafka.get(TestEvents.token(tenant, role), path);
    }
}
