package io.tessera.query.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.query.QuerySideApplication;
import io.tessera.query.TestEvents;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Row-level security on the real PostgreSQL of the local runtime, as the query side's own login (tessera_query:
 * no superuser, owns nothing, NOINHERIT), with RLS forced; the superuser only seeds and inspects.
 * Every relation of the schema with a tenant column is checked, so a new table without a policy fails.
 */
@SpringBootTest(
        properties = {
            "spring.config.name=" + QuerySideApplication.CONFIG_NAME,
            "tessera.jwt.secret=row-level-security-integration-test-secret-0123",
            "tessera.jwt.issuer=",
            "spring.kafka.listener.auto-startup=false"
        })
class RowLevelSecurityIT {

    private static final String SCHEMA = "query_side";

    /** The application's client, logged in as tessera_query. */
    @Autowired
    JdbcClient owner;

    @Value("${spring.datasource.username}")
    String login;

    @Value("${spring.datasource.password}")
    String password;

    @Value("${spring.flyway.user}")
    String schemaOwner;

    /** The superuser, to seed and inspect. */
    private final JdbcClient admin = TestEvents.admin();

    @Autowired
    TenantTransactions transactions;

    private String tenantA;
    private String tenantB;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LocalInfrastructure.shared().springProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @BeforeEach
    void seedTwoTenantsAsTheOwner() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        tenantA = "rls-a-" + suffix;
        tenantB = "rls-b-" + suffix;
        seed(admin, tenantA, "seed");
        seed(admin, tenantB, "seed");
    }

    /** (1) */
    @Test
    void aQueryThatForgetsTheTenantSeesOnlyTheTenantOfItsTransaction() {
        List<String> tenants = transactions.read(
                tenantA,
                () -> owner.sql("SELECT * FROM deployments")
                        .query((rs, row) -> rs.getString("tenant_id"))
                        .list());
        assertThat(tenants).isNotEmpty().containsOnly(tenantA);

        tenantOwnedRelations().forEach((relation, tenantColumn) -> {
            List<String> seen = transactions.read(
                    tenantA,
                    () -> owner.sql("SELECT DISTINCT " + tenantColumn + " FROM " + relation)
                            .query(String.class)
                            .list());
            assertThat(seen).as(relation).containsExactly(tenantA);
        });
    }

    /** (1) also for the tenants directory of GET /api/tenants: its settings open that table only. */
    @Test
    void theDirectoryShowsTheCallersTenantsAndNoTenantsData() {
        assertThat(transactions.readDirectory(List.of(tenantA, "no-such-tenant"), this::visibleTenants))
                .containsExactly(tenantA);
        assertThat(transactions.readWholeDirectory(this::visibleTenants)).contains(tenantA, tenantB);
        assertThat(transactions.readDirectory(List.of(tenantA), this::deploymentCount))
                .isZero();
        assertThat(transactions.readWholeDirectory(this::deploymentCount)).isZero();
        assertThatThrownBy(() -> transactions.readDirectory(List.of(tenantA + "," + tenantB), this::visibleTenants))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** (2) on a fresh connection (the setting is NULL) and on one that had a tenant before (it is ''). */
    @Test
    void aTransactionWithoutTenantSeesNoRowOfAnyTenantOwnedRelation() {
        try (HikariDataSource pool = oneConnectionPool()) {
            JdbcClient jdbc = JdbcClient.create(pool);
            TenantTransactions scoped = new TenantTransactions(new DataSourceTransactionManager(pool), jdbc);
            TransactionTemplate template = new TransactionTemplate(new DataSourceTransactionManager(pool));

            assertNoRowsWithoutTenant(template, jdbc);
            assertThat(scoped.read(tenantA, () -> countOf(jdbc, "deployments"))).isPositive();
            assertNoRowsWithoutTenant(template, jdbc);
        }
        tenantOwnedRelations().keySet().stream()
                .filter(relation -> !relation.equals("audit_entries"))
                .forEach(relation -> assertThat(admin.sql("SELECT count(*) FROM " + relation + " WHERE "
                                        + tenantOwnedRelations().get(relation) + " = :tenant")
                                .param("tenant", tenantA)
                                .query(Long.class)
                                .single())
                        .as("the owner sees the seeded rows of " + relation)
                        .isPositive());
    }

    /** (3) */
    @Test
    void aRolledBackTransactionLeavesNeitherRoleNorTenantOnItsPooledConnection() {
        try (HikariDataSource pool = oneConnectionPool()) {
            JdbcClient jdbc = JdbcClient.create(pool);
            TenantTransactions scoped = new TenantTransactions(new DataSourceTransactionManager(pool), jdbc);
            int backend =
                    jdbc.sql("SELECT pg_backend_pid()").query(Integer.class).single();

            assertThatThrownBy(() -> scoped.read(tenantA, () -> {
                        assertThat(tenantsOf(jdbc, "deployments")).containsOnly(tenantA);
                        throw new IllegalStateException("the request failed");
                    }))
                    .hasMessage("the request failed");
            assertThatThrownBy(() -> scoped.read(
                            tenantA,
                            () -> jdbc.sql("SELECT 1 / 0").query(Integer.class).single()))
                    .isInstanceOf(DataAccessException.class);

            Map<String, Object> session = jdbc.sql("""
                            SELECT pg_backend_pid() AS backend, current_user AS role, session_user AS login,
                                   coalesce(current_setting('tessera.tenant_id', true), '') AS tenant
                            """).query().singleRow();
            assertThat(session.get("backend")).as("one physical connection").isEqualTo(backend);
            assertThat(session.get("role")).isEqualTo(session.get("login"));
            assertThat(session.get("tenant")).isEqualTo("");

            assertThat(scoped.read(tenantB, () -> tenantsOf(jdbc, "deployments")))
                    .containsOnly(tenantB);
            assertThat(scoped.read(
                            tenantB,
                            () -> jdbc.sql("SELECT count(*) FROM deployments WHERE tenant_id = :a")
                                    .param("a", tenantA)
                                    .query(Long.class)
                                    .single()))
                    .isZero();
            assertThat(scoped.read(
                            tenantB,
                            () -> jdbc.sql("SELECT current_user")
                                    .query(String.class)
                                    .single()))
                    .isEqualTo(TenantTransactions.API_ROLE);
        }
    }

    /** (4) */
    @Test
    void theApiRoleCanNeitherWriteNorReadAForeignRowAndBypassesNothing() {
        Map<String, Object> role = admin.sql("""
                        SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = :role
                        """)
                .param("role", TenantTransactions.API_ROLE)
                .query()
                .singleRow();
        assertThat(role).containsEntry("rolsuper", false).containsEntry("rolbypassrls", false);
        assertThat(role).containsEntry("rolcanlogin", false);
        tenantOwnedRelations().keySet().forEach(relation -> {
            Map<String, Object> pgClass = admin.sql("""
                            SELECT pg_get_userbyid(c.relowner) AS owner, c.relkind::text AS kind,
                                   c.relrowsecurity, coalesce(array_to_string(c.reloptions, ','), '') AS options
                            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                            WHERE n.nspname = :schema AND c.relname = :relation
                            """)
                    .param("schema", SCHEMA)
                    .param("relation", relation)
                    .query()
                    .singleRow();
            assertThat(pgClass.get("owner")).as(relation).isNotEqualTo(TenantTransactions.API_ROLE);
            if ("v".equals(pgClass.get("kind"))) {
                assertThat((String) pgClass.get("options"))
                        .as(relation)
                        .contains(serverVersion() >= 150000 ? "security_invoker=true" : "security_barrier=true");
            } else {
                assertThat(pgClass.get("relrowsecurity")).as(relation).isEqualTo(true);
            }
        });

        assertRefused(tenantA, jdbc -> jdbc.sql("""
                        INSERT INTO deployments (tenant_id, id, project_name, status, created_at, updated_at, version)
                        VALUES (:tenant, 'planted', 'p', 'pending', now(), now(), 0)
                        """).param("tenant", tenantA).update());
        assertRefused(
                tenantA,
                jdbc -> jdbc.sql("UPDATE deployments SET status = 'failed' WHERE tenant_id = :tenant")
                        .param("tenant", tenantA)
                        .update());
        assertRefused(
                tenantA,
                jdbc -> jdbc.sql("DELETE FROM event_log WHERE tenant_id = :tenant")
                        .param("tenant", tenantA)
                        .update());
        assertRefused(
                tenantA,
                jdbc -> jdbc.sql("INSERT INTO projection_positions (tenant_id, position) VALUES (:tenant, 1)")
                        .param("tenant", tenantA)
                        .update());

        assertThat(transactions.read(
                        tenantB,
                        () -> owner.sql("SELECT count(*) FROM deployments WHERE tenant_id = :a AND id = 'seed'")
                                .param("a", tenantA)
                                .query(Long.class)
                                .single()))
                .isZero();
        tenantOwnedRelations()
                .forEach((relation, tenantColumn) -> assertThat(transactions.read(
                                tenantB,
                                () -> owner.sql("SELECT count(*) FROM " + relation + " WHERE " + tenantColumn + " = :a")
                                        .param("a", tenantA)
                                        .query(Long.class)
                                        .single()))
                        .as(relation)
                        .isZero());
    }

    /** (5) */
    @Test
    void theProjectorWritesTheRowsOfEveryTenant() {
        Map<String, Object> role = admin.sql("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :role")
                .param("role", TenantTransactions.PROJECTOR_ROLE)
                .query()
                .singleRow();
        assertThat(role)
                .as("allowed by its policies, not by bypassing RLS")
                .containsEntry("rolsuper", false)
                .containsEntry("rolbypassrls", false);

        transactions.project(() -> {
            assertThat(owner.sql("SELECT current_user").query(String.class).single())
                    .isEqualTo(TenantTransactions.PROJECTOR_ROLE);
            seed(owner, tenantA, "projected");
            seed(owner, tenantB, "projected");
            owner.sql("UPDATE deployments SET status = 'active' WHERE id = 'projected'")
                    .update();
        });

        for (String tenant : List.of(tenantA, tenantB)) {
            assertThat(admin.sql("SELECT status FROM deployments WHERE tenant_id = :tenant AND id = 'projected'")
                            .param("tenant", tenant)
                            .query(String.class)
                            .single())
                    .isEqualTo("active");
            assertThat(admin.sql("SELECT count(*) FROM event_log WHERE tenant_id = :tenant")
                            .param("tenant", tenant)
                            .query(Long.class)
                            .single())
                    .isEqualTo(2);
        }
    }

    /**
     * (5) The login itself is no superuser, bypasses nothing, owns nothing and inherits nothing: a statement
     * that leaves the role of its transaction (RESET ROLE) reaches no table, and the owner cannot be become.
     * Row-level security is forced, so not even the owner is exempt.
     */
    @Test
    void theLoginReachesNoRowOutsideItsRolesAndCannotBecomeTheOwner() {
        Map<String, Object> role = admin.sql(
                        "SELECT rolsuper, rolbypassrls, rolinherit FROM pg_roles WHERE rolname = :login")
                .param("login", login)
                .query()
                .singleRow();
        assertThat(role)
                .containsEntry("rolsuper", false)
                .containsEntry("rolbypassrls", false)
                .containsEntry("rolinherit", false);
        assertThat(admin.sql("SELECT count(*) FROM pg_class WHERE relowner = CAST(:login AS regrole)")
                        .param("login", login)
                        .query(Long.class)
                        .single())
                .isZero();
        tenantOwnedRelations().keySet().stream()
                .filter(relation -> !relation.equals("audit_entries"))
                .forEach(relation -> assertThat(admin.sql(
                                        "SELECT relforcerowsecurity FROM pg_class WHERE oid = CAST(:relation AS regclass)")
                                .param("relation", SCHEMA + "." + relation)
                                .query(Boolean.class)
                                .single())
                        .as(relation)
                        .isTrue());

        assertRefused(tenantA, jdbc -> {
            jdbc.sql("RESET ROLE").update();
            countOf(jdbc, "deployments");
        });
        try (HikariDataSource pool = oneConnectionPool()) {
            JdbcClient jdbc = JdbcClient.create(pool);
            assertThatThrownBy(() -> jdbc.sql("SET ROLE " + schemaOwner).update())
                    .rootCause()
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> jdbc.sql("SELECT count(*) FROM deployments")
                            .query(Long.class)
                            .single())
                    .rootCause()
                    .hasMessageContaining("permission denied");
        }
    }

    /** Every table or view of the schema with a tenant column, and {@code tenants}, keyed by its id. */
    private Map<String, String> tenantOwnedRelations() {
        Map<String, String> relations = new java.util.TreeMap<>();
        admin.sql("""
                        SELECT table_name FROM information_schema.columns
                        WHERE table_schema = :schema AND column_name = 'tenant_id'
                        """)
                .param("schema", SCHEMA)
                .query(String.class)
                .list()
                .forEach(relation -> relations.put(relation, "tenant_id"));
        relations.put("tenants", "id");
        assertThat(relations)
                .containsKeys(
                        "deployments",
                        "workflows",
                        "users",
                        "tenant_stats",
                        "projection_positions",
                        "event_log",
                        "audit_entries");
        return relations;
    }

    private void assertNoRowsWithoutTenant(TransactionTemplate template, JdbcClient jdbc) {
        template.executeWithoutResult(status -> {
            jdbc.sql("SET LOCAL ROLE " + TenantTransactions.API_ROLE).update();
            tenantOwnedRelations()
                    .keySet()
                    .forEach(relation ->
                            assertThat(countOf(jdbc, relation)).as(relation).isZero());
        });
    }

    private void assertRefused(String tenant, Consumer<JdbcClient> write) {
        try (HikariDataSource pool = oneConnectionPool()) {
            JdbcClient jdbc = JdbcClient.create(pool);
            TransactionTemplate template = new TransactionTemplate(new DataSourceTransactionManager(pool));
            assertThatThrownBy(() -> template.executeWithoutResult(status -> {
                        jdbc.sql("SET LOCAL ROLE " + TenantTransactions.API_ROLE)
                                .update();
                        jdbc.sql("SELECT set_config('tessera.tenant_id', :tenant, true)")
                                .param("tenant", tenant)
                                .query(String.class)
                                .single();
                        write.accept(jdbc);
                    }))
                    .isInstanceOf(DataAccessException.class)
                    .rootCause()
                    .hasMessageContaining("permission denied");
        }
    }

    private List<String> visibleTenants() {
        return owner.sql("SELECT id FROM tenants").query(String.class).list();
    }

    private long deploymentCount() {
        return countOf(owner, "deployments");
    }

    private static long countOf(JdbcClient jdbc, String relation) {
        return jdbc.sql("SELECT count(*) FROM " + relation).query(Long.class).single();
    }

    private static List<String> tenantsOf(JdbcClient jdbc, String relation) {
        return jdbc.sql("SELECT tenant_id FROM " + relation).query(String.class).list();
    }

    private int serverVersion() {
        return owner.sql("SELECT current_setting('server_version_num')::int")
                .query(Integer.class)
                .single();
    }

    /** One connection of the application's own login. */
    private HikariDataSource oneConnectionPool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(LocalInfrastructure.shared().jdbcUrl());
        config.setUsername(login);
        config.setPassword(password);
        config.setSchema(SCHEMA);
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    /** One row of every tenant-owned table for {@code tenant}, with {@code id} as the row's own id. */
    private static void seed(JdbcClient jdbc, String tenant, String id) {
        Map<String, String> statements = new java.util.LinkedHashMap<>();
        statements.put("tenants", """
                INSERT INTO tenants (id, name, slug, created_at, updated_at, version)
                VALUES (:tenant, :tenant, :tenant, now(), now(), 0) ON CONFLICT DO NOTHING
                """);
        statements.put("deployments", """
                INSERT INTO deployments (tenant_id, id, project_name, status, created_at, updated_at, version)
                VALUES (:tenant, :id, 'project', 'pending', now(), now(), 0)
                """);
        statements.put("workflows", """
                INSERT INTO workflows (tenant_id, id, name, status, created_at, updated_at, version)
                VALUES (:tenant, :id, 'workflow', 'draft', now(), now(), 0)
                """);
        statements.put("users", """
                INSERT INTO users (tenant_id, id, email, role, created_at, version)
                VALUES (:tenant, :id, :id || '@example.com', 'viewer', now(), 0)
                """);
        statements.put("tenant_stats", """
                INSERT INTO tenant_stats (tenant_id, kind, status, count, updated_at)
                VALUES (:tenant, 'deployment', :id, 1, now())
                """);
        statements.put("projection_positions", """
                INSERT INTO projection_positions (tenant_id, position) VALUES (:tenant, 1)
                ON CONFLICT (tenant_id) DO UPDATE SET position = projection_positions.position + 1
                """);
        statements.put("event_log", """
                INSERT INTO event_log (tenant_id, position, event_id, type, subject, sequence, time, data)
                VALUES (:tenant, (SELECT coalesce(max(position), 0) + 1 FROM event_log WHERE tenant_id = :tenant),
                        :tenant || '-' || :id, 'tessera.deployment.created.v1', :id, 0, now(), '{}'::jsonb)
                """);
        statements.put("dead_letters", """
                INSERT INTO dead_letters (id, tenant_id, aggregate_id, sequence, position, status, record, origin)
                VALUES (:tenant || '-' || :id || '-' || gen_random_uuid(), :tenant, :id, 0, 1, 'failed', '{}', 'seed')
                """);
        statements.put("administrative_acts", """
                INSERT INTO administrative_acts (tenant_id, position, actor, action, resource_type, resource_id)
                VALUES (:tenant, 1, 'seed', 'projection.rebuild-started', 'projection', :id)
                """);
        statements
                .values()
                .forEach(sql ->
                        jdbc.sql(sql).param("tenant", tenant).param("id", id).update());
    }
}
