package io.tessera.query.tenancy;

import java.util.Collection;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The only way the query side reaches its tables: one transaction per unit of work, in the role and
 * tenant that row-level security checks. The login user (tessera_query) is NOINHERIT and owns nothing: a
 * statement outside these transactions, or after a RESET ROLE, is refused, never shown every tenant.
 */
@Component
public class TenantTransactions {

    static final String API_ROLE = "tessera_query_api";
    public static final String PROJECTOR_ROLE = "tessera_query_projector";
    static final String TENANT = "tessera.tenant_id";
    static final String TENANTS = "tessera.tenant_ids";
    static final String ALL_TENANTS = "tessera.all_tenants";
    static final String PLATFORM_ADMIN = "tessera.platform_admin";
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final TransactionTemplate reads;
    private final TransactionTemplate writes;
    private final JdbcClient jdbc;

    public TenantTransactions(PlatformTransactionManager transactionManager, JdbcClient jdbc) {
        this.reads = new TransactionTemplate(transactionManager);
        this.reads.setReadOnly(true);
        this.writes = new TransactionTemplate(transactionManager);
        this.jdbc = jdbc;
    }

    /** Reads of one tenant: that tenant's rows are all the statements of {@code work} can see. */
    public <T> T read(String tenantId, Supplier<T> work) {
        Objects.requireNonNull(tenantId, "tenantId");
        return in(reads, API_ROLE, () -> {
            setting(TENANT, tenantId);
            return work.get();
        });
    }

    /** Reads of the tenants directory, limited to the given tenants; no tenant's data is visible. */
    public <T> T readDirectory(Collection<String> tenantIds, Supplier<T> work) {
        tenantIds.forEach(id -> {
            if (id == null || id.isEmpty() || id.contains(",")) {
                throw new IllegalArgumentException("Not a tenant id: " + id);
            }
        });
        return in(reads, API_ROLE, () -> {
            setting(TENANTS, String.join(",", tenantIds));
            return work.get();
        });
    }

    /** Reads of the whole tenants directory, for a platform admin; still no tenant's data is visible. */
    public <T> T readWholeDirectory(Supplier<T> work) {
        return in(reads, API_ROLE, () -> {
            setting(ALL_TENANTS, "on");
            return work.get();
        });
    }

    /**
     * Reads of a platform admin's operational tables (rebuild progress, every tenant's dead letters): the
     * tables whose policy names {@code tessera.platform_admin}; no read model of a tenant opens to it.
     */
    public <T> T readAsPlatformAdmin(Supplier<T> work) {
        return in(reads, API_ROLE, () -> {
            setting(PLATFORM_ADMIN, "on");
            return work.get();
        });
    }

    /** Writes of the projections, which may touch the rows of any tenant. */
    public void project(Runnable work) {
        projecting(() -> {
            work.run();
            return null;
        });
    }

    /** Writes of the projections, with a result. */
    public <T> T projecting(Supplier<T> work) {
        return in(writes, PROJECTOR_ROLE, work);
    }

    /**
     * Writes of the projections into the shadow tables of a rebuild: unqualified names resolve to
     * {@code schema} first, so a projection's {@code deployments} is the shadow's, its {@code event_log} the
     * live one.
     */
    public <T> T projectingInto(String schema, Supplier<T> work) {
        return in(writes, PROJECTOR_ROLE, () -> {
            prependSearchPath(schema);
            return work.get();
        });
    }

    /** A schema name a rebuild may put into SQL text: lower-case letters, digits and underscores. */
    public static String checkedSchema(String schema) {
        if (schema == null || !SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("Not a schema name: " + schema);
        }
        return schema;
    }

    private void prependSearchPath(String schema) {
        checkedSchema(schema);
        String searchPath = jdbc.sql("SELECT current_setting('search_path')")
                .query(String.class)
                .single();
        setting("search_path", schema + ", " + searchPath);
    }

    /** {@code role} is one of this class's constants: SET ROLE takes no parameter. */
    private <T> T in(TransactionTemplate template, String role, Supplier<T> work) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Tenant-scoped work must not join a transaction already running");
        }
        return template.execute(status -> {
            jdbc.sql("SET LOCAL ROLE " + role).update();
            return work.get();
        });
    }

    private void setting(String name, String value) {
        jdbc.sql("SELECT set_config(:name, :value, true)")
                .param("name", name)
                .param("value", value)
                .query(String.class)
                .single();
    }
}
