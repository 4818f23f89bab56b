package io.tessera.benchmarks;

import java.time.Duration;
import java.util.Locale;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** One measured loop: latencies in microseconds (HdrHistogram, 3 significant digits), errors, wall time. */
final class Latencies {

    private static final long MAX_MICROS = Duration.ofMinutes(5).toNanos() / 1000;

    final String name;
    private final Histogram histogram = new ConcurrentHistogram(MAX_MICROS, 3);
    private long errors;
    private long wallNanos;
    private String stopReason = "";

    Latencies(String name) {
        this.name = name;
    }

    void recordNanos(long nanos) {
        histogram.recordValue(Math.min(MAX_MICROS, Math.max(1, nanos / 1000)));
    }

    synchronized void error() {
        errors++;
    }

    synchronized void finish(long wallNanos, String stopReason) {
        this.wallNanos = wallNanos;
        this.stopReason = stopReason;
    }

    synchronized long wallNanos() {
        return wallNanos;
    }

    long count() {
        return histogram.getTotalCount();
    }

    synchronized long errors() {
        return errors;
    }

    /** Milliseconds at a percentile. */
    double at(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    double perSecond() {
        return wallNanos == 0 ? 0 : (count() + errors()) * 1e9 / wallNanos;
    }

    static String header() {
        return String.format(
                Locale.ROOT,
                "%-34s %8s %6s %9s %9s %9s %9s %10s  %s",
                "scenario",
                "n",
                "errors",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "max ms",
                "req/s",
                "stopped by");
    }

    String row() {
        return String.format(
                Locale.ROOT,
                "%-34s %8d %6d %9.2f %9.2f %9.2f %9.2f %10s  %s",
                name,
                count(),
                errors(),
                at(50),
                at(95),
                at(99),
                histogram.getMaxValue() / 1000.0,
                wallNanos == 0 ? "-" : String.format(Locale.ROOT, "%.0f", perSecond()),
                stopReason);
    }
}
