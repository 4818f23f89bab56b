package io.tessera.query.freshness;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * How far the read model of a tenant has got, as stored in {@code projection_positions}: the source of
 * truth even with several instances consuming. Waiters are woken when this instance applies an event,
 * and look again every {@link #POLL_INTERVAL} for what other instances applied; how many wait at once is
 * bounded per tenant ({@link MinPositionInterceptor}), so these looks are too.
 */
@Component
public class AppliedPositions {

    static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final ProjectionPositions positions;
    private final Object applied = new Object();

    AppliedPositions(ProjectionPositions positions) {
        this.positions = positions;
    }

    long of(String tenantId) {
        return positions.applied(tenantId);
    }

    /** Whether the tenant's read model reached {@code position} before {@code timeout} passed. */
    boolean awaitPosition(String tenantId, long position, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (of(tenantId) < position) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                return false;
            }
            synchronized (applied) {
                applied.wait(Math.max(1, Math.min(left.toMillis(), POLL_INTERVAL.toMillis())));
            }
        }
        return true;
    }

    public void signalApplied() {
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
