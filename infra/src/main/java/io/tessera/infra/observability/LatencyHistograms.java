package io.tessera.infra.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.Set;

/**
 * Histogram buckets for the latencies an operator reads as p50/p95/p99 ({@code histogram_quantile} in
 * Prometheus): HTTP requests, Kafka publishing, JDBC statements, projection lag. Fixed boundaries, 5 ms to
 * 30 s, rather than Micrometer's default ladder: with a {@code tenant} tag on HTTP requests each bucket is a
 * series per tenant, URI and status, and 15 buckets instead of ~70 keep hundreds of tenants affordable.
 */
final class LatencyHistograms implements MeterFilter {

    static final Set<String> TIMERS =
            Set.of("http.server.requests", "tessera.kafka.publish", "tessera.db.statement", "tessera.projection.lag");

    private static final double[] BOUNDARIES_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!TIMERS.contains(id.getName())) {
            return config;
        }
        double[] nanos = new double[BOUNDARIES_SECONDS.length];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = Duration.ofNanos((long) (BOUNDARIES_SECONDS[i] * 1e9)).toNanos();
        }
        return DistributionStatisticConfig.builder()
                .percentilesHistogram(false)
                .serviceLevelObjectives(nanos)
                .build()
                .merge(config);
    }
}
