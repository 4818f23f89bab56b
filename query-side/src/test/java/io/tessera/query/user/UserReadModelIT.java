package io.tessera.query.user;

import static io.tessera.query.TestEvents.PATIENCE;
import static io.tessera.query.TestEvents.cloudEvent;
import static io.tessera.query.TestEvents.ids;
import static io.tessera.query.TestEvents.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.user.Role;
import io.tessera.events.user.UserCreated;
import io.tessera.events.user.UserDeleted;
import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.QuerySideTestBase;
import io.tessera.query.TestEvents;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The users read model: its projection of the user events into {@code users}, read back through {@code /api/users}. */
@QuerySideIntegrationTest
class UserReadModelIT extends QuerySideTestBase {

    private final JdbcClient admin = TestEvents.admin();

    @Test
    void createdUserIsListedAndCountedByRole() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        kafka.publish(tenant, "user-1", 0, time, new UserCreated(tenant, "user-1", "ann@example.com", Role.EDITOR));
        kafka.publish(
                tenant,
                "user-2",
                0,
                time.plusSeconds(1),
                new UserCreated(tenant, "user-2", "bob@example.com", Role.AUDITOR));
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(ids(kafka.asViewer(tenant, "/api/users"))).containsExactly("user-2", "user-1"));

        JsonNode ann = kafka.asViewer(tenant, "/api/users?q=user-1").data().get(0);
        assertThat(ann.get("email").asString()).isEqualTo("ann@example.com");
        assertThat(ann.get("role").asString()).isEqualTo("editor");
        assertThat(Instant.parse(ann.get("created_at").asString())).isEqualTo(time);
        JsonNode users = kafka.asViewer(tenant, "/api/tenants/" + tenant + "/stats")
                .data()
                .get("users");
        assertThat(users.get("total").asLong()).isEqualTo(2);
        assertThat(users.at("/by_role/editor").asLong()).isEqualTo(1);
        assertThat(users.at("/by_role/auditor").asLong()).isEqualTo(1);
    }

    @Test
    void deletedUserLeavesATombstoneThatARedeliveredCreationDoesNotReopen() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        ObjectNode created = cloudEvent(
                tenant, "user-1", 0, time, new UserCreated(tenant, "user-1", "ann@example.com", Role.VIEWER));
        kafka.publish(created);
        kafka.publish(tenant, "user-1", 1, time.plusSeconds(1), new UserDeleted(tenant, "user-1"));
        kafka.publish(created);
        kafka.publish(tenant, "user-1", 1, time.plusSeconds(1), new UserDeleted(tenant, "user-1"));
        kafka.publish(tenant, "marker", 0, time, new UserCreated(tenant, "marker", "m@example.com", Role.VIEWER));
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(ids(kafka.asViewer(tenant, "/api/users"))).containsExactly("marker"));

        Map<String, Object> row = userRow(tenant, "user-1");
        assertThat(row.get("deleted_at")).isNotNull();
        assertThat(((Number) row.get("version")).longValue()).isEqualTo(1);
        JsonNode users = kafka.asViewer(tenant, "/api/tenants/" + tenant + "/stats")
                .data()
                .get("users");
        assertThat(users.get("total").asLong()).isEqualTo(1);
        assertThat(users.at("/by_role/viewer").asLong()).isEqualTo(1);
    }

    @Test
    void aUserCreatedAgainAfterItsDeletionComesBackWithTheNewRole() {
        String tenant = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        kafka.publish(tenant, "user-1", 0, time, new UserCreated(tenant, "user-1", "ann@example.com", Role.VIEWER));
        kafka.publish(tenant, "user-1", 1, time.plusSeconds(1), new UserDeleted(tenant, "user-1"));
        kafka.publish(
                tenant,
                "user-1",
                2,
                time.plusSeconds(2),
                new UserCreated(tenant, "user-1", "ann@example.com", Role.ADMIN));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(userRow(tenant, "user-1")).containsEntry("role", "admin"));

        Map<String, Object> row = userRow(tenant, "user-1");
        assertThat(row.get("deleted_at")).isNull();
        assertThat(((Number) row.get("version")).longValue()).isEqualTo(2);
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(ids(kafka.asViewer(tenant, "/api/users"))).containsExactly("user-1"));
        JsonNode users = kafka.asViewer(tenant, "/api/tenants/" + tenant + "/stats")
                .data()
                .get("users");
        assertThat(users.get("total").asLong()).isEqualTo(1);
        assertThat(users.at("/by_role/admin").asLong()).isEqualTo(1);
        assertThat(users.at("/by_role/viewer").asLong()).isZero();
    }

    @Test
    void anotherTenantsUsersAreInvisible() {
        String tenantA = newTenant();
        String tenantB = newTenant();
        Instant time = Instant.parse("2024-03-01T00:00:00Z");
        kafka.publish(tenantA, "user-1", 0, time, new UserCreated(tenantA, "user-1", "ann@a.example", Role.ADMIN));
        kafka.publish(tenantB, "user-2", 0, time, new UserCreated(tenantB, "user-2", "bob@b.example", Role.ADMIN));
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(ids(kafka.asViewer(tenantA, "/api/users"))).containsExactly("user-1"));
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(ids(kafka.asViewer(tenantB, "/api/users"))).containsExactly("user-2"));

        assertThat(kafka.asViewer(tenantB, "/api/users?q=user-1").data().size()).isZero();
        assertThat(kafka.asViewer(tenantB, "/api/users").body().toString()).doesNotContain("ann@a.example");
        assertThat(kafka.asViewer(tenantB, "/api/tenants/" + tenantB + "/stats")
                        .data()
                        .at("/users/total")
                        .asLong())
                .isEqualTo(1);
    }

    private Map<String, Object> userRow(String tenant, String id) {
        return admin.sql("SELECT role, deleted_at, version FROM users WHERE tenant_id = ? AND id = ?")
                .params(tenant, id)
                .query()
                .singleRow();
    }
}
