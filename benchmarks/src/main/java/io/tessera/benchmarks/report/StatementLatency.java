package io.tessera.benchmarks.report;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.Collection;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A quantile of all JDBC statements one side ran ({@code tessera.db.statement}, every statement name together),
 * read from the timers' fixed buckets as Prometheus' {@code histogram_quantile} does: linear within the bucket
 * that holds it. The spec asks for a database p95 under 50 ms.
 */
public final class StatementLatency {

    /** How many statements, and their quantile in ms: NaN without statements, infinite beyond the last bucket. */
    public record Quantile(long statements, double millis) {}

    private StatementLatency() {}

    public static Quantile of(MeterRegistry meters, double quantile) {
        return of(meters.find("tessera.db.statement").timers(), quantile);
    }

    static Quantile of(Collection<Timer> timers, double quantile) {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        long total = 0;
        for (Timer timer : timers) {
            total += timer.count();
            for (CountAtBucket bucket : timer.takeSnapshot().histogramCounts()) {
                cumulative.merge(bucket.bucket(TimeUnit.MILLISECONDS), bucket.count(), Double::sum);
            }
        }
        if (total == 0) {
            return new Quantile(0, Double.NaN);
        }
        double rank = quantile * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (var bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                double inBucket = bucket.getValue() - lowerCount;
                double share = inBucket == 0 ? 1 : (rank - lowerCount) / inBucket;
                return new Quantile(total, lowerBound + share * (bucket.getKey() - lowerBound));
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return new Quantile(total, Double.POSITIVE_INFINITY);
    }
}
