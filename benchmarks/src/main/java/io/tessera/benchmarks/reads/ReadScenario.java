package io.tessera.benchmarks.reads;

import io.tessera.benchmarks.load.Call;
import io.tessera.benchmarks.load.OpenLoop;
import io.tessera.benchmarks.load.Recording;
import io.tessera.benchmarks.report.Results;
import io.tessera.benchmarks.system.BenchSystem;
import io.tessera.query.cache.QueryCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * S1: the read mix at rising arrival rates (doubling) on the cached query side until the knee, then the same
 * mix on the query side without the cache at the highest rate that held (issue 4: p95 with and without), and
 * the same rates through bare JDBC and through a bare HTTP endpoint: the raw limit.
 */
public final class ReadScenario {

    /** How the rates rise and how long each is held. */
    public record Ladder(
            double startRate, int maxSteps, Duration step, Duration warmup, int httpWorkers, int rawWorkers) {}

    private final BenchSystem system;
    private final Ladder ladder;
    private final Results results;

    public ReadScenario(BenchSystem system, Ladder ladder, Results results) {
        this.system = system;
        this.ladder = ladder;
        this.results = results;
    }

    /** The highest rate the cached API held (its reference rate), for the soak test to size itself on. */
    public double run() throws Exception {
        OpenLoop http = new OpenLoop(ladder.httpWorkers());
        OpenLoop raw = new OpenLoop(ladder.rawWorkers());
        Supplier<Call> cached = () -> ApiReads.against(system.api(), system.queryUrl(), system.tenants());
        Supplier<Call> uncached = () -> ApiReads.against(system.api(), system.uncachedQueryUrl(), system.tenants());
        Supplier<Call> jdbc = () -> JdbcReads.against(system);

        progress("S1 warm-up...");
        http.run("warm-up", ladder.startRate(), ladder.warmup(), cached);
        http.run("warm-up", ladder.startRate(), ladder.warmup(), uncached);
        raw.run("warm-up", ladder.startRate(), ladder.warmup(), jdbc);

        long[] deploymentsBefore = system.cacheGets(QueryCache.DEPLOYMENTS);
        long[] statsBefore = system.cacheGets(QueryCache.TENANT_STATS);
        List<Recording> api = new ArrayList<>();
        double rate = ladder.startRate();
        Recording held = null;
        for (int step = 0; step < ladder.maxSteps(); step++, rate *= 2) {
            progress(String.format(Locale.ROOT, "S1 API (cached) at %.0f/s...", rate));
            Recording recording = http.run("read mix, API (cache on)", rate, ladder.step(), cached);
            api.add(recording);
            record(recording, "API (cache on)");
            if (beyondKnee(recording)) {
                break;
            }
            held = recording;
        }
        long[] deploymentsAfter = system.cacheGets(QueryCache.DEPLOYMENTS);
        long[] statsAfter = system.cacheGets(QueryCache.TENANT_STATS);
        Recording reference = held != null ? held : api.get(0);
        double referenceRate = reference.targetRate();
        if (held == null) {
            results.note("S1: the first rate was already past the knee; ratios are taken there");
        } else if (api.size() == ladder.maxSteps() && !beyondKnee(api.get(api.size() - 1))) {
            results.note("S1: no knee within " + ladder.maxSteps() + " doublings; ratios at the highest rate");
        }

        progress(String.format(Locale.ROOT, "S1 API (cache off) at %.0f/s...", referenceRate));
        Recording withoutCache = http.run("read mix, API (cache off)", referenceRate, ladder.step(), uncached);
        record(withoutCache, "API (cache off)");

        Recording jdbcAtReference = null;
        Recording bareAtReference = null;
        try (BareEndpoint bare = new BareEndpoint(system, ladder.rawWorkers())) {
            Supplier<Call> bareCalls = () -> bare.client(system.api(), system.tenants());
            http.run("warm-up", ladder.startRate(), ladder.warmup(), bareCalls);
            for (Recording step : api) {
                double r = step.targetRate();
                progress(String.format(Locale.ROOT, "S1 raw JDBC and bare endpoint at %.0f/s...", r));
                Recording viaJdbc = raw.run("read mix, bare JDBC", r, ladder.step(), jdbc);
                record(viaJdbc, "bare JDBC");
                Recording viaBare = http.run("read mix, bare HTTP endpoint", r, ladder.step(), bareCalls);
                record(viaBare, "bare HTTP endpoint + JDBC");
                if (r == referenceRate) {
                    jdbcAtReference = viaJdbc;
                    bareAtReference = viaBare;
                }
            }
        }

        String at = String.format(Locale.ROOT, "at %.0f/s, the highest rate the cached API held", referenceRate);
        ratio("S1 API / bare JDBC p50", reference.millisAt(50), jdbcAtReference.millisAt(50), at);
        ratio("S1 API / bare JDBC p95", reference.millisAt(95), jdbcAtReference.millisAt(95), at);
        ratio("S1 API / bare HTTP endpoint p50", reference.millisAt(50), bareAtReference.millisAt(50), at);
        ratio("S1 API / bare HTTP endpoint p95", reference.millisAt(95), bareAtReference.millisAt(95), at);
        ratio("S1 cache off / cache on p95", withoutCache.millisAt(95), reference.millisAt(95), at);
        results.ratio(
                "S1 API knee (highest rate held, req/s)",
                referenceRate,
                "doubling from " + (int) ladder.startRate() + "/s, "
                        + ladder.step().toSeconds()
                        + " s a step; past the knee: done/s < 90 % of the rate, > 1 % errors or p95 > 500 ms");
        double hits = deploymentsAfter[0] - deploymentsBefore[0] + statsAfter[0] - statsBefore[0];
        double misses = deploymentsAfter[1] - deploymentsBefore[1] + statsAfter[1] - statsBefore[1];
        results.ratio(
                "S1 cache hit rate (%)",
                100 * hits / Math.max(1, hits + misses),
                String.format(
                        Locale.ROOT,
                        "deployments + tenant-stats caches over all cached steps: %.0f hits, %.0f misses (Zipf s over"
                                + " %d tenants)",
                        hits,
                        misses,
                        system.tenants().count()));
        return referenceRate;
    }

    static boolean beyondKnee(Recording step) {
        long sent = step.count() + step.errors();
        return step.throughput() < 0.9 * step.targetRate()
                || step.errors() > 0.01 * Math.max(1, sent)
                || step.millisAt(95) > 500;
    }

    private void record(Recording recording, String line) {
        results.add("S1", recording, 0);
        results.point(line, recording);
    }

    private void ratio(String name, double top, double bottom, String basis) {
        results.ratio(name, bottom == 0 ? Double.NaN : top / bottom, basis);
    }

    private static void progress(String text) {
        System.err.println("... " + text);
    }
}
