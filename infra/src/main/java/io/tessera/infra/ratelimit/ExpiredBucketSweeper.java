package io.tessera.infra.ratelimit;

import io.github.bucket4j.distributed.proxy.ExpiredEntriesCleaner;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Deletes the token buckets that would be full again by now ({@code expires_at} passed): without it every
 * client address that ever called, and every tenant that left, keeps a row in {@code rate_limit_bucket}.
 * A deleted bucket comes back full on its next use, which is what it would have been, so the limit stays
 * exact. Every instance sweeps; the delete skips rows locked by another sweeper or a request.
 */
public class ExpiredBucketSweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ExpiredBucketSweeper.class);
    static final int BATCH = 1000;
    /** One sweep stops after this many batches, so that a backlog is worked off over several sweeps. */
    private static final int MAX_BATCHES_PER_SWEEP = 100;

    private final ExpiredEntriesCleaner buckets;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    public ExpiredBucketSweeper(ExpiredEntriesCleaner buckets, Duration interval) {
        this.buckets = buckets;
        this.interval = interval;
    }

    /** One sweep: how many buckets were deleted. */
    public int sweep() {
        int removed = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_SWEEP; batch++) {
            int now = buckets.removeExpired(BATCH);
            removed += now;
            if (now < BATCH) {
                break;
            }
        }
        return removed;
    }

    private void sweepQuietly() {
        try {
            int removed = sweep();
            if (removed > 0) {
                log.debug("Deleted {} expired rate-limit buckets", removed);
            }
        } catch (RuntimeException e) {
            log.warn("Sweeping expired rate-limit buckets failed; the next sweep tries again: {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "rate-limit-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
