package io.tessera.query.tenancy;

import java.util.Collection;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The only way the query side reaches its tables: one transaction per unit of work, in the role and
 * tenant that row-level security checks. The login user (a superuser in the local runtime, the owner
 * elsewhere) bypasses RLS, so a statement outside these transactions would see every tenant.
 */
@Component
public class TenantTransactions {

    static final String API_ROLE = "tessera_query_api";
    static final String PROJECTOR_ROLE = "tessera_query_projector";
    static final String TENANT = "tessera.tenant_id";
    static final String TENANTS = "tessera.tenant_ids";
    static final String ALL_TENANTS = "tessera.all_tenants";

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

    /** Writes of the projections, which may touch the rows of any tenant. */
    public void project(Runnable work) {
        in(writes, PROJECTOR_ROLE, () -> {
            work.run();
            return null;
        });
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
