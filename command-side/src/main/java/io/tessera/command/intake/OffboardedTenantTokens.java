package io.tessera.command.intake;

import io.tessera.infra.tenancy.OffboardedTenants;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The offboarded tenants, whose tokens the command side refuses on HTTP and on Kafka: known at once on the
 * instance that offboarded the tenant (after the commit), on the others from {@code tenant_status}, looked up
 * once per tenant and {@code tessera.command.offboarded-recheck} (1 s) while it is active. Offboarding is final,
 * so an offboarded tenant is remembered for good.
 */
@Component
public class OffboardedTenantTokens implements OffboardedTenants {

    private static final int MAX_REMEMBERED_ACTIVE = 100_000;

    private final TenantGate gate;
    private final Duration recheck;
    private final Set<String> offboarded = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> activeAt = new ConcurrentHashMap<>();

    OffboardedTenantTokens(TenantGate gate, @Value("${tessera.command.offboarded-recheck:1s}") Duration recheck) {
        this.gate = gate;
        this.recheck = recheck;
    }

    @Override
    public boolean isOffboarded(String tenantId) {
        if (offboarded.contains(tenantId)) {
            return true;
        }
        Instant checked = activeAt.get(tenantId);
        Instant now = Instant.now();
        if (checked != null && checked.plus(recheck).isAfter(now)) {
            return false;
        }
        if (gate.isOffboarded(tenantId)) {
            offboarded(tenantId);
            return true;
        }
        if (activeAt.size() >= MAX_REMEMBERED_ACTIVE) {
            activeAt.clear();
        }
        activeAt.put(tenantId, now);
        return false;
    }

    void offboarded(String tenantId) {
        offboarded.add(tenantId);
        activeAt.remove(tenantId);
    }
}
