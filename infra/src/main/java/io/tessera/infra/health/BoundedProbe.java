package io.tessera.infra.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;

/**
 * A health probe answered within {@code bound}, its answer kept for {@code reuseFor}. The probe runs on a thread
 * of its own, one at a time: while it hangs, the check that began it answers {@code whenSilent} at the bound and
 * the checks after it answer so at once, so a frozen link holds one thread, not one per health request, and a
 * health report waits for it once, not on every poll. A probe that answered is not run again before
 * {@code reuseFor} has passed, so a load balancer polling often costs the dependency little.
 */
public final class BoundedProbe implements AutoCloseable {

    private final Supplier<Health> probe;
    private final Duration bound;
    private final Duration reuseFor;
    private final Supplier<Health.Builder> whenSilent;
    private final Clock clock;
    private final ExecutorService prober;
    private CompletableFuture<Health> current =
            CompletableFuture.completedFuture(Health.unknown().build());
    private Instant answeredAt = Instant.MIN;
    private Instant startedAt = Instant.MIN;

    public BoundedProbe(
            String name,
            Supplier<Health> probe,
            Duration bound,
            Duration reuseFor,
            Supplier<Health.Builder> whenSilent,
            Clock clock) {
        this.probe = probe;
        this.bound = bound;
        this.reuseFor = reuseFor;
        this.whenSilent = whenSilent;
        this.clock = clock;
        this.prober = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    public Health health() {
        CompletableFuture<Health> waitingFor;
        long waitMillis;
        synchronized (this) {
            Instant now = clock.instant();
            boolean fresh = answeredAt.plus(reuseFor).isAfter(now);
            if (current.isDone() && !fresh) {
                current = CompletableFuture.supplyAsync(this::answered, prober);
                startedAt = now;
            }
            waitingFor = current;
            waitMillis = Math.max(
                    0, bound.toMillis() - Duration.between(startedAt, now).toMillis());
        }
        try {
            return waitingFor.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return whenSilent
                    .get()
                    .withDetail("error", "no answer within " + bound.toMillis() + " ms")
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return whenSilent.get().withDetail("error", "interrupted").build();
        } catch (ExecutionException e) {
            return whenSilent
                    .get()
                    .withDetail("error", e.getCause().getClass().getSimpleName())
                    .build();
        }
    }

    private Health answered() {
        try {
            return probe.get();
        } finally {
            synchronized (this) {
                answeredAt = clock.instant();
            }
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
