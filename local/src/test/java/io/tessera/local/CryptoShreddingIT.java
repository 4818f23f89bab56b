package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tessera.events.EventCatalog;
import io.tessera.events.Topics;
import io.tessera.events.tenant.TenantDataKeysShredded;
import io.tessera.events.user.Role;
import io.tessera.events.user.UserCreated;
import io.tessera.infra.pii.DataKey;
import io.tessera.infra.pii.DataKeys;
import io.tessera.infra.pii.MasterKey;
import io.tessera.infra.pii.PiiCipher;
import io.tessera.infra.pii.PiiVault;
import io.tessera.infra.pii.UnreadablePiiException;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.local.SecurityFixture.Answer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * Crypto-shredding over the running system: users with e-mails for tenants A and B; no e-mail in clear in
 * the event store, the read tables or {@code tessera.events}; the API shows them; then a platform admin
 * shreds A's data keys, after which A's e-mails are unreadable everywhere (the API answers null, no remaining
 * key opens them) while B's stay readable and A's deployments, history, event log and aggregates go on.
 */
class CryptoShreddingIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String TENANT_A = "pii-a-" + RUN;
    private static final String TENANT_B = "pii-b-" + RUN;
    private static final List<String> EMAILS_A =
            List.of("ann." + RUN + "@a-corp.example", "al." + RUN + "@a-corp.example");
    private static final List<String> EMAILS_B = List.of("bea." + RUN + "@b-corp.example");
    private static final String CREATED = EventCatalog.typeOf(UserCreated.class);
    private static final ConditionFactory EVENTUALLY =
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200));

    private static SecurityFixture system;
    private static JdbcTemplate database;
    private static String platformAdmin;
    private static String deploymentA;

    @BeforeAll
    static void startWithUsersInTwoTenants(@TempDir Path home) {
        system = SecurityFixture.start(home);
        LocalInfrastructure infrastructure = LocalInfrastructure.shared();
        database = new JdbcTemplate(new DriverManagerDataSource(
                infrastructure.jdbcUrl(), infrastructure.dbUser(), infrastructure.dbPassword()));
        platformAdmin = system.token("pii-platform", "platform", Set.of(), true);
        for (String tenant : List.of(TENANT_A, TENANT_B)) {
            Answer created = system.command(
                    "POST", "/api/tenants", platformAdmin, Map.of("id", tenant, "name", tenant, "slug", tenant));
            assertThat(created.status()).as(created.describe()).isEqualTo(202);
        }
        for (String email : EMAILS_A) {
            // Mixed case on the way in: stored lower-cased, and neither form may appear in clear.
            SecurityFixture.acceptedId(system.command(
                    "POST", "/api/users", admin(TENANT_A), Map.of("email", email.toUpperCase(), "role", "viewer")));
        }
        for (String email : EMAILS_B) {
            SecurityFixture.acceptedId(
                    system.command("POST", "/api/users", admin(TENANT_B), Map.of("email", email, "role", "editor")));
        }
        deploymentA = SecurityFixture.acceptedId(
                system.command("POST", "/api/deployments", admin(TENANT_A), Map.of("project_name", "shop-" + RUN)));
        SecurityFixture.acceptedId(system.command(
                "PATCH", "/api/deployments/" + deploymentA, admin(TENANT_A), Map.of("status", "building")));
        EVENTUALLY.untilAsserted(() -> {
            assertThat(emails(TENANT_A)).containsExactlyInAnyOrderElementsOf(EMAILS_A);
            assertThat(emails(TENANT_B)).containsExactlyInAnyOrderElementsOf(EMAILS_B);
        });
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aShreddedTenantsEmailsAreUnreadableEverywhereWhileEverythingElseGoesOn() {
        List<String> everyEmail = new ArrayList<>(EMAILS_A);
        everyEmail.addAll(EMAILS_B);
        assertNowhereInClear(everyEmail);
        Map<String, String> envelopesA = userCreatedEnvelopesOnKafka(TENANT_A, EMAILS_A.size());
        Map<String, String> envelopesB = userCreatedEnvelopesOnKafka(TENANT_B, EMAILS_B.size());
        assertThat(envelopesA.values()).allMatch(PiiCipher::isEnvelope);
        assertThat(envelopesB.values()).allMatch(PiiCipher::isEnvelope);
        List<String> usersA = userIds(TENANT_A);

        Answer tenantAdmin = system.command("DELETE", "/api/tenants/" + TENANT_A + "/data-keys", admin(TENANT_A), null);
        assertThat(tenantAdmin.status()).as(tenantAdmin.describe()).isEqualTo(403);
        Answer unknown = system.command("DELETE", "/api/tenants/no-such-" + RUN + "/data-keys", platformAdmin, null);
        assertThat(unknown.status()).as(unknown.describe()).isEqualTo(404);
        Answer shredded = system.command("DELETE", "/api/tenants/" + TENANT_A + "/data-keys", platformAdmin, null);
        assertThat(shredded.status()).as(shredded.describe()).isEqualTo(202);

        // The API: A's users are all still listed, with e-mail null; B's e-mails unchanged.
        EVENTUALLY.untilAsserted(() -> {
            Answer users = system.query("/api/users", admin(TENANT_A));
            assertThat(users.status()).as(users.describe()).isEqualTo(200);
            assertThat(users.data()).hasSize(EMAILS_A.size());
            users.data()
                    .forEach(user -> assertThat(user.path("email").isNull())
                            .as(user.toString())
                            .isTrue());
        });
        assertThat(userIds(TENANT_A)).containsExactlyInAnyOrderElementsOf(usersA);
        assertThat(emails(TENANT_B)).containsExactlyInAnyOrderElementsOf(EMAILS_B);
        assertThat(database.queryForObject(
                        "SELECT count(*) FROM tessera_keys.tenant_data_key WHERE tenant_id = ? AND wrapped_key IS NOT NULL",
                        Integer.class,
                        TENANT_A))
                .isZero();

        // Every key that still exists, of any tenant, fails on A's envelopes; a fresh vault reveals nothing.
        DataKeys keys = new DataKeys(
                database,
                MasterKey.fromBase64(LocalInfrastructure.shared().masterKey()),
                Duration.ofSeconds(1),
                Clock.systemUTC());
        List<DataKey> remaining = database
                .queryForList(
                        "SELECT tenant_id, version FROM tessera_keys.tenant_data_key WHERE wrapped_key IS NOT NULL")
                .stream()
                .map(row -> keys.find((String) row.get("tenant_id"), (Integer) row.get("version"))
                        .orElseThrow())
                .toList();
        assertThat(remaining).isNotEmpty();
        PiiVault vault = new PiiVault(keys);
        for (String envelope : envelopesA.values()) {
            assertThat(vault.reveal(TENANT_A, "email", envelope)).isNull();
            for (DataKey key : remaining) {
                DataKey asIfA = new DataKey(TENANT_A, key.version(), key.key());
                assertThatThrownBy(() -> PiiCipher.open(asIfA, "email", envelope))
                        .isInstanceOf(UnreadablePiiException.class);
                assertThatThrownBy(() -> PiiCipher.open(key, "email", envelope))
                        .isInstanceOf(UnreadablePiiException.class);
            }
        }
        for (Map.Entry<String, String> b : envelopesB.entrySet()) {
            assertThat(vault.reveal(TENANT_B, "email", b.getValue())).isIn(EMAILS_B);
        }

        // Everything else of A goes on: reads, history, the event log, and aggregates sourced from ciphertext.
        Answer deployment = system.query("/api/deployments/" + deploymentA, admin(TENANT_A));
        assertThat(deployment.status()).as(deployment.describe()).isEqualTo(200);
        assertThat(deployment.data().path("status").asString()).isEqualTo("building");
        Answer history = system.query("/api/deployments/" + deploymentA + "/history", admin(TENANT_A));
        assertThat(history.status()).as(history.describe()).isEqualTo(200);
        assertThat(history.body()).contains("status-changed");
        Answer events = system.query("/api/events?limit=1000", system.token(TENANT_A, Role.AUDITOR));
        assertThat(events.status()).as(events.describe()).isEqualTo(200);
        assertThat(events.body())
                .contains(EventCatalog.typeOf(TenantDataKeysShredded.class))
                .contains(CREATED)
                .contains(deploymentA);
        SecurityFixture.acceptedId(system.command(
                "PATCH", "/api/deployments/" + deploymentA, admin(TENANT_A), Map.of("status", "active")));
        SecurityFixture.acceptedId(system.command("DELETE", "/api/users/" + usersA.get(0), admin(TENANT_A), null));

        // New personal data of A is sealed with a new key version; the old address is a new user now.
        String again = SecurityFixture.acceptedId(system.command(
                "POST", "/api/users", admin(TENANT_A), Map.of("email", EMAILS_A.get(1), "role", "admin")));
        assertThat(usersA).doesNotContain(again);
        EVENTUALLY.untilAsserted(() -> assertThat(emails(TENANT_A)).contains(EMAILS_A.get(1)));
        assertThat(userCreatedEnvelopesOnKafka(TENANT_A, EMAILS_A.size() + 1).get(again))
                .startsWith(PiiCipher.PREFIX + "2:");
        assertNowhereInClear(everyEmail);
    }

    /** No table of either side nor the key schema, and no record on tessera.events, holds an e-mail. */
    private static void assertNowhereInClear(List<String> emails) {
        List<Map<String, Object>> columns = database.queryForList("""
                SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
                WHERE table_schema IN ('command_side', 'query_side', 'tessera_keys')
                  AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea')
                  AND table_name IN (SELECT table_name FROM information_schema.tables
                                     WHERE table_schema = columns.table_schema AND table_type = 'BASE TABLE')
                """);
        assertThat(columns).extracting(c -> c.get("table_name")).contains("domain_event_entry", "users", "event_log");
        for (String email : emails) {
            for (String form : List.of(email, email.toUpperCase())) {
                for (Map<String, Object> column : columns) {
                    String target = "\"" + column.get("table_schema") + "\".\"" + column.get("table_name") + "\"";
                    String name = "\"" + column.get("column_name") + "\"";
                    String condition = "bytea".equals(column.get("data_type"))
                            ? "position(convert_to(?, 'UTF8') in " + name + ") > 0"
                            : "position(? in " + name + "::text) > 0";
                    Integer hits = database.queryForObject(
                            "SELECT count(*) FROM " + target + " WHERE " + condition, Integer.class, form);
                    assertThat(hits).as("%s in %s.%s", form, target, name).isZero();
                }
            }
        }
        try (KafkaConsumer<String, String> consumer = system.consumerFromStart(Topics.EVENTS)) {
            int empty = 0;
            while (empty < 3) {
                var records = consumer.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<String, String> record : records) {
                    for (String email : emails) {
                        assertThat(record.value().toLowerCase()).doesNotContain(email.toLowerCase());
                    }
                }
            }
        }
    }

    /** The e-mail field of the tenant's UserCreated records on tessera.events, by user id. */
    private static Map<String, String> userCreatedEnvelopesOnKafka(String tenant, int expected) {
        Map<String, String> envelopes = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = system.consumerFromStart(Topics.EVENTS)) {
            EVENTUALLY.pollInSameThread().until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = SecurityFixture.JSON.readTree(record.value());
                    if (tenant.equals(record.key())
                            && CREATED.equals(event.path("type").asString())) {
                        envelopes.put(
                                event.path("subject").asString(),
                                event.path("data").path("email").asString());
                    }
                }
                return envelopes.size() >= expected;
            });
        }
        return envelopes;
    }

    private static List<String> emails(String tenant) {
        Answer users = system.query("/api/users", admin(tenant));
        assertThat(users.status()).as(users.describe()).isEqualTo(200);
        return StreamSupport.stream(users.data().spliterator(), false)
                .filter(user -> !user.path("email").isNull())
                .map(user -> user.path("email").asString())
                .toList();
    }

    private static List<String> userIds(String tenant) {
        Answer users = system.query("/api/users", admin(tenant));
        return StreamSupport.stream(users.data().spliterator(), false)
                .map(user -> user.path("id").asString())
                .toList();
    }

    private static String admin(String tenant) {
        return system.token(tenant, Role.ADMIN);
    }
}
