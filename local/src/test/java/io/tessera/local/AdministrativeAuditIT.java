package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.local.SecurityFixture.Answer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * Over the running system: every administrative act on a tenant (quota change, suspension, reactivation,
 * shredding on the command side; a rebuild on the query side) is in that tenant's audit log with the platform
 * admin who did it; an address typed as a user id is audited sealed, readable until the keys are shredded and
 * nowhere in clear; and once the tenant is offboarded its tokens are refused by both sides.
 */
class AdministrativeAuditIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String TENANT = "audit-" + RUN;
    private static final String OPERATOR = "ops-" + RUN;
    private static final String ALICE = "alice." + RUN + "@example.com";
    private static final ConditionFactory EVENTUALLY =
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300));

    private static SecurityFixture system;
    private static String operator;

    @BeforeAll
    static void start(@TempDir Path home) {
        system = SecurityFixture.start(home);
        operator = system.token(OPERATOR, "platform", Set.of(), true);
        SecurityFixture.acceptedId(
                system.command("POST", "/api/tenants", operator, Map.of("id", TENANT, "name", TENANT, "slug", TENANT)));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void everyAdministrativeActIsInTheTenantsAuditLogWithItsActor() {
        String admin = system.token(TENANT, Role.ADMIN);
        Answer notAUser = system.command("DELETE", "/api/users/" + ALICE, admin, null);
        assertThat(notAUser.status()).as(notAUser.describe()).isEqualTo(404);

        accepted(system.command(
                "PUT",
                "/api/tenants/" + TENANT + "/quotas",
                operator,
                Map.of("deployments_per_hour", 7, "workflows_per_hour", 3)));
        accepted(system.command("POST", "/api/tenants/" + TENANT + "/suspend", operator, null));
        accepted(system.command("POST", "/api/tenants/" + TENANT + "/reactivate", operator, null));
        String auditor = system.token(TENANT, Role.AUDITOR);
        EVENTUALLY.until(() -> actions(auditor).contains("tenant.reactivated"));
        assertThat(entry(auditor, "DeleteUser").path("resource_id").asString())
                .as("the typed address, opened with the tenant's key")
                .isEqualTo(ALICE);

        Answer rebuild = system.call(
                system.querySide,
                "POST",
                "/api/admin/projections/deployments/rebuild?tenant=" + TENANT,
                operator,
                null);
        assertThat(rebuild.status()).as(rebuild.describe()).isEqualTo(202);
        accepted(system.command("DELETE", "/api/tenants/" + TENANT + "/data-keys", operator, null));
        EVENTUALLY.until(() -> actions(auditor).contains("tenant.data-keys-shredded"));

        List<JsonNode> log = audit(auditor);
        for (String act : List.of(
                "tenant.created",
                "tenant.quotas-changed",
                "tenant.suspended",
                "tenant.reactivated",
                "projection.rebuild-started",
                "tenant.data-keys-shredded")) {
            assertThat(log).as(act).anySatisfy(entry -> {
                assertThat(entry.path("action").asString()).isEqualTo(act);
                assertThat(entry.path("actor").asString()).isEqualTo(OPERATOR);
            });
        }
        assertThat(entry(auditor, "DeleteUser").path("resource_id").isNull())
                .as("unreadable once the keys are shredded")
                .isTrue();
        LocalInfrastructure infrastructure = LocalInfrastructure.shared();
        JdbcTemplate database = new JdbcTemplate(new DriverManagerDataSource(
                infrastructure.jdbcUrl(), infrastructure.dbUser(), infrastructure.dbPassword()));
        assertThat(database.queryForObject(
                        "SELECT count(*) FROM query_side.event_log WHERE data::text LIKE ? OR cloudevent LIKE ?",
                        Integer.class,
                        "%" + ALICE + "%",
                        "%" + ALICE + "%"))
                .isZero();

        accepted(system.command("DELETE", "/api/tenants/" + TENANT, operator, null));
        Answer command = system.command(
                "POST", "/api/deployments", system.token(TENANT, Role.EDITOR), Map.of("project_name", "p"));
        assertThat(command.status()).as(command.describe()).isEqualTo(401);
        assertThat(command.errorCode()).isEqualTo("UNAUTHENTICATED");
        EVENTUALLY.until(() -> system.query("/api/deployments", system.token(TENANT, Role.VIEWER))
                        .status()
                == 401);
        assertThat(system.query("/api/audit", auditor).errorCode()).isEqualTo("UNAUTHENTICATED");
    }

    private static void accepted(Answer answer) {
        assertThat(answer.status()).as(answer.describe()).isEqualTo(202);
    }

    private static List<String> actions(String auditor) {
        return audit(auditor).stream().map(e -> e.path("action").asString()).toList();
    }

    private static JsonNode entry(String auditor, String action) {
        return audit(auditor).stream()
                .filter(e -> e.path("action").asString().equals(action))
                .findFirst()
                .orElseThrow();
    }

    private static List<JsonNode> audit(String auditor) {
        Answer page = system.query("/api/audit?limit=100", auditor);
        assertThat(page.status()).as(page.describe()).isEqualTo(200);
        List<JsonNode> entries = new ArrayList<>();
        page.data().forEach(entries::add);
        return entries;
    }
}
