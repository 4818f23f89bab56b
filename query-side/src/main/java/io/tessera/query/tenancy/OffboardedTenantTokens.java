package io.tessera.query.tenancy;

import io.tessera.infra.tenancy.RememberedOffboardings;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The offboarded tenants, whose tokens the query side refuses: told at once by the live feed, which reads every
 * event on every instance ({@link #offboarded}), and otherwise looked up in {@code tenants} (the tombstone), again
 * every {@code tessera.query.offboarded-recheck} (1 s) while the tenant is active.
 */
@Component
public class OffboardedTenantTokens extends RememberedOffboardings {

    OffboardedTenantTokens(
            JdbcClient jdbc,
            TenantTransactions transactions,
            @Value("${tessera.query.offboarded-recheck:1s}") Duration recheck) {
        super(
                tenantId -> transactions.read(
                        tenantId,
                        () -> jdbc.sql("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = :tenantId"
                                        + " AND status = 'offboarded')")
                                .param("tenantId", tenantId)
                                .query(Boolean.class)
                                .single()),
                recheck);
    }
}
