package io.tessera.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.infra.runtime.LocalInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The command side's login (tessera_command) on the real PostgreSQL of the local runtime: no superuser, owns
 * nothing, and row-level security, forced, holds it to the tenant of its transaction in every table that names a
 * tenant (the auth families and refresh tokens through their client). The superuser only seeds and inspects.
 */
@SpringBootTest(
        classes = CommandSideApplication.class,
        properties = {
            "spring.config.name=" + CommandSideApplication.CONFIG_NAME,
            "spring.kafka.listener.auto-startup=false"
        })
class CommandSideRowLevelSecurityIT {

    private static final List<String> TENANT_TABLES =
            List.of("command_log", "tenant_status", "auth_client", "auth_token_family", "auth_refresh_token");

    private final JdbcTemplate admin = CommandSideTests.admin();

    @Value("${spring.datasource.username}")
    String login;

    @Value("${spring.datasource.password}")
    String password;

    @Value("${spring.flyway.user}")
    String schemaOwner;

    private String tenantA;
    private String tenantB;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        CommandSideTests.infrastructure(registry);
    }

    @BeforeEach
    void seedTwoTenantsAsTheSuperuser() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        tenantA = "rls-a-" + suffix;
        tenantB = "rls-b-" + suffix;
        for (String tenant : List.of(tenantA, tenantB)) {
            admin.update(
                    "INSERT INTO command_log (tenant_id, caller, key, command_id, accepted) VALUES (?, 'alice', 'k', 'c', true)",
                    tenant);
            admin.update("INSERT INTO tenant_status (tenant_id, status) VALUES (?, 'suspended')", tenant);
            admin.update(
                    "INSERT INTO auth_client (client_id, tenant_id, secret_hash, roles, created_by)"
                            + " VALUES (? || '.ci', ?, 'hash', 'editor', 'test')",
                    tenant,
                    tenant);
            UUID family = UUID.randomUUID();
            admin.update("INSERT INTO auth_token_family (family_id, client_id) VALUES (?, ? || '.ci')", family, tenant);
            admin.update(
                    "INSERT INTO auth_refresh_token (token_hash, family_id, issued_at, expires_at)"
                            + " VALUES (decode(md5(?), 'hex'), ?, now(), now() + interval '1 day')",
                    tenant,
                    family);
        }
    }

    @Test
    void theLoginIsNoSuperuserOwnsNothingAndEveryTenantTableForcesRowLevelSecurity() {
        assertThat(admin.queryForMap("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ?", login))
                .containsEntry("rolsuper", false)
                .containsEntry("rolbypassrls", false);
        assertThat(admin.queryForObject(
                        "SELECT count(*) FROM pg_class WHERE relowner = CAST(? AS regrole)", Long.class, login))
                .isZero();
        TENANT_TABLES.forEach(table -> assertThat(admin.queryForObject(
                        "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class"
                                + " WHERE oid = CAST('command_side.' || ? AS regclass)",
                        Boolean.class,
                        table))
                .as(table)
                .isTrue());
    }

    @Test
    void withATenantSetAStatementWithoutTenantPredicateSeesThatTenantsRowsOnly() throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            setTenant(connection, tenantA);
            assertThat(tenantsOf(connection, "SELECT tenant_id FROM command_log WHERE key = 'k'"))
                    .contains(tenantA)
                    .doesNotContain(tenantB);
            assertThat(tenantsOf(connection, "SELECT tenant_id FROM tenant_status"))
                    .containsOnly(tenantA);
            assertThat(tenantsOf(connection, "SELECT tenant_id FROM auth_client"))
                    .containsOnly(tenantA);
            assertThat(tenantsOf(connection, "SELECT client_id FROM auth_token_family"))
                    .containsOnly(tenantA + ".ci");
            assertThat(tenantsOf(
                            connection,
                            "SELECT f.client_id FROM auth_refresh_token t"
                                    + " JOIN auth_token_family f ON f.family_id = t.family_id"))
                    .containsOnly(tenantA + ".ci");
            connection.rollback();
        }
    }

    @Test
    void withoutATenantNoRowIsSeenOnAFreshConnectionNorOnOneThatHadATenant() throws SQLException {
        try (Connection connection = connect()) {
            assertNoRows(connection);
            connection.setAutoCommit(false);
            setTenant(connection, tenantA);
            connection.commit();
            connection.setAutoCommit(true);
            assertNoRows(connection);
        }
    }

    @Test
    void anotherTenantsRowsCanBeNeitherChangedNorDeletedNorPlanted() throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            setTenant(connection, tenantA);
            try (Statement statement = connection.createStatement()) {
                assertThat(statement.executeUpdate(
                                "UPDATE command_log SET error_message = 'x' WHERE tenant_id = '" + tenantB + "'"))
                        .isZero();
                assertThat(statement.executeUpdate("DELETE FROM tenant_status WHERE tenant_id = '" + tenantB + "'"))
                        .isZero();
                assertThat(statement.executeUpdate("UPDATE auth_token_family SET revoked_at = now()"))
                        .isOne();
                assertThat(statement.executeUpdate("UPDATE auth_refresh_token SET used_at = now()"))
                        .isOne();
            }
            connection.commit();
            assertThatThrownBy(() -> {
                        try (Statement statement = connection.createStatement()) {
                            statement.executeUpdate("INSERT INTO tenant_status (tenant_id, status) VALUES ('" + tenantB
                                    + "', 'active')");
                        }
                    })
                    .hasMessageContaining("row-level security");
            connection.rollback();
        }
        assertThat(admin.queryForObject(
                        "SELECT error_message IS NULL FROM command_log WHERE tenant_id = ?", Boolean.class, tenantB))
                .isTrue();
        assertThat(admin.queryForObject("SELECT status FROM tenant_status WHERE tenant_id = ?", String.class, tenantB))
                .isEqualTo("suspended");
        assertThat(admin.queryForObject(
                        "SELECT count(*) FROM auth_token_family WHERE client_id = ? || '.ci' AND revoked_at IS NULL",
                        Long.class,
                        tenantB))
                .isOne();
        assertThat(admin.queryForObject(
                        "SELECT count(*) FROM auth_refresh_token WHERE token_hash = decode(md5(?), 'hex')"
                                + " AND used_at IS NULL",
                        Long.class,
                        tenantB))
                .isOne();
    }

    @Test
    void resetRoleGainsNothingAndTheOwnerCannotBeBecome() throws SQLException {
        try (Connection connection = connect()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("RESET ROLE");
            }
            assertNoRows(connection);
            assertThatThrownBy(() -> {
                        try (Statement statement = connection.createStatement()) {
                            statement.execute("SET ROLE " + schemaOwner);
                        }
                    })
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> {
                        try (Statement statement = connection.createStatement()) {
                            statement.executeUpdate("DELETE FROM domain_event_entry WHERE false");
                        }
                    })
                    .as("the event store is append-only")
                    .hasMessageContaining("permission denied");
        }
    }

    private Connection connect() throws SQLException {
        String url = LocalInfrastructure.shared().jdbcUrl();
        return DriverManager.getConnection(
                url + (url.contains("?") ? "&" : "?") + "currentSchema=command_side", login, password);
    }

    private static void setTenant(Connection connection, String tenant) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT set_config('tessera.tenant_id', ?, true)")) {
            statement.setString(1, tenant);
            statement.executeQuery().close();
        }
    }

    private static List<String> tenantsOf(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static void assertNoRows(Connection connection) throws SQLException {
        for (String table : TENANT_TABLES) {
            assertThat(tenantsOf(connection, "SELECT count(*) FROM " + table))
                    .as(table)
                    .containsExactly("0");
        }
    }
}
