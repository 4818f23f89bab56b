package io.tessera.benchmarks.load;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What one measured loop saw: latencies in microseconds (HdrHistogram, 3 significant digits), refusals,
 * errors, wall time, and the rate it was asked for (0 for a closed loop).
 */
public final class Recording {

    private static final long MAX_MICROS = Duration.ofMinutes(5).toNanos() / 1000;

    private final String name;
    private final double targetRate;
    private final Histogram histogram = new ConcurrentHistogram(MAX_MICROS, 3);
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile long wallNanos;

    public Recording(String name, double targetRate) {
        this.name = name;
        this.targetRate = targetRate;
    }

    public Recording(String name) {
        this(name, 0);
    }

    public void recordNanos(long nanos) {
        histogram.recordValue(Math.min(MAX_MICROS, Math.max(1, nanos / 1000)));
    }

    public void record(Call.Outcome outcome, long nanos) {
        switch (outcome) {
            case OK -> recordNanos(nanos);
            case REFUSED -> refused.incrementAndGet();
            case ERROR -> errors.incrementAndGet();
            case DONE -> {}
        }
    }

    public void error() {
        errors.incrementAndGet();
    }

    public void finish(long wallNanos) {
        this.wallNanos = wallNanos;
    }

    public String name() {
        return name;
    }

    public double targetRate() {
        return targetRate;
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public long refused() {
        return refused.get();
    }

    public long errors() {
        return errors.get();
    }

    public long wallNanos() {
        return wallNanos;
    }

    /** Milliseconds at a percentile; 0 when nothing was recorded. */
    public double millisAt(double percentile) {
        return count() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMillis() {
        return count() == 0 ? 0 : histogram.getMaxValue() / 1000.0;
    }

    /** Successful calls per second of wall time. */
    public double throughput() {
        return wallNanos == 0 ? 0 : count() * 1e9 / wallNanos;
    }
}
