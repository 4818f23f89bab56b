package io.tessera.command.intake;

import io.tessera.infra.tenancy.RememberedOffboardings;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The offboarded tenants, whose tokens the command side refuses on HTTP and on Kafka: known at once on the
 * instance that offboarded the tenant (after the commit, {@link TenantGate}), on the others from
 * {@code tenant_status}, looked up again every {@code tessera.command.offboarded-recheck} (1 s) while the tenant
 * is active.
 */
@Component
public class OffboardedTenantTokens extends RememberedOffboardings {

    OffboardedTenantTokens(TenantGate gate, @Value("${tessera.command.offboarded-recheck:1s}") Duration recheck) {
        super(gate::isOffboarded, recheck);
    }
}
