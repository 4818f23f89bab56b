package io.tessera.benchmarks.load;

import java.time.Duration;

/** Time that moves only when a worker waits or a call "works": a schedule runs without sleeping. */
final class FakeTicker implements Ticker {

    private long now = 1_000_000_000L;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void parkUntil(long deadline) {
        now = Math.max(now, deadline);
    }

    synchronized void work(Duration duration) {
        now += duration.toNanos();
    }
}
