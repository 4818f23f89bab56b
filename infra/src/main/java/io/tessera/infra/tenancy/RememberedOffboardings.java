package io.tessera.infra.tenancy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * {@link OffboardedTenants} over a side's own lookup: an offboarded tenant is remembered for good (offboarding is
 * final), an active one is looked up again once {@code recheck} has passed, and {@link #offboarded} tells it at
 * once when the side learns of an offboarding.
 */
public class RememberedOffboardings implements OffboardedTenants {

    private static final int MAX_REMEMBERED_ACTIVE = 100_000;

    private final Predicate<String> lookup;
    private final Duration recheck;
    private final Set<String> offboarded = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> activeAt = new ConcurrentHashMap<>();

    public RememberedOffboardings(Predicate<String> lookup, Duration recheck) {
        this.lookup = lookup;
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
        if (lookup.test(tenantId)) {
            offboarded(tenantId);
            return true;
        }
        if (activeAt.size() >= MAX_REMEMBERED_ACTIVE) {
            activeAt.clear();
        }
        activeAt.put(tenantId, now);
        return false;
    }

    /** The tenant was offboarded: its tokens are refused from now on. */
    public void offboarded(String tenantId) {
        offboarded.add(tenantId);
        activeAt.remove(tenantId);
    }
}
