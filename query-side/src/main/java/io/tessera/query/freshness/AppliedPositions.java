package io.tessera.query.freshness;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * How far the read model of a tenant has got, as stored in {@code projection_positions}: the source of
 * truth even with several instances consuming. What this instance applied itself is also kept in memory, so a
 * waiter learns of it without a round trip: it is woken when this instance commits an event, checks memory, and
 * reads the table only every {@link #POLL_INTERVAL} (for what other instances applied, or an offboarding). How
 * many wait at once is bounded per tenant ({@link MinPositionInterceptor}), so these reads are too.
 */
@Component
public class AppliedPositions {

    /**
     * How often a waiter reads the table: another instance may apply the tenant's partition, and a read-your-writes
     * answer should not wait much longer than its projection did. At most {@code min-position-max-waiting} (8) waiters
     * of a tenant do so at once.
     */
    static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    /** Past this many tenants the memory starts again: it only saves round trips, the table stays the truth. */
    static final int MAX_REMEMBERED_TENANTS = 10_000;

    private final ProjectionPositions positions;
    private final Object applied = new Object();
    private final Map<String, Long> appliedHere = new ConcurrentHashMap<>();

    AppliedPositions(ProjectionPositions positions) {
        this.positions = positions;
    }

    long of(String tenantId) {
        return positions.applied(tenantId);
    }

    /** Whether the tenant's read model has reached {@code position}: from memory if this instance applied it. */
    boolean reached(String tenantId, long position) {
        return appliedHere(tenantId, position) || of(tenantId) >= position;
    }

    /**
     * Whether the tenant's read model reached {@code position} before {@code timeout} passed; for a caller that
     * found it {@linkplain #reached not reached} just now, so the table is read again only after a poll interval.
     */
    boolean awaitPosition(String tenantId, long position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextRead = System.nanoTime() + POLL_INTERVAL.toNanos();
        while (true) {
            if (appliedHere(tenantId, position)) {
                return true;
            }
            if (System.nanoTime() - nextRead >= 0) {
                if (of(tenantId) >= position) {
                    return true;
                }
                nextRead = System.nanoTime() + POLL_INTERVAL.toNanos();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (applied) {
                if (!appliedHere(tenantId, position)) {
                    applied.wait(Math.max(
                            1,
                            Duration.ofNanos(Math.min(left, nextRead - System.nanoTime()))
                                    .toMillis()));
                }
            }
        }
    }

    private boolean appliedHere(String tenantId, long position) {
        return appliedHere.getOrDefault(tenantId, -1L) >= position;
    }

    /** After this instance committed the tenant's events up to {@code position}. */
    public void signalApplied(String tenantId, long position) {
        if (appliedHere.size() >= MAX_REMEMBERED_TENANTS && !appliedHere.containsKey(tenantId)) {
            appliedHere.clear();
        }
        appliedHere.merge(tenantId, position, Math::max);
        synchronized (applied) {
            applied.notifyAll();
        }
    }

    static Optional<Long> parse(String header) {
        String value = header.trim();
        if (!value.matches("[0-9]{1,19}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value));
        } catch (NumberFormatException beyondLong) {
            return Optional.empty();
        }
    }
}
