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
 * mix on the query side without the cache at the highest rate that held (the p95 with and without the cache), and
 * the same rates through bare JDBC and through a bare HTTP endpoint running the uncached API's database work: the
 * raw limit. Last, cursor walks on the uncached side: page 20's p95 against the first page's.
 */
public final class ReadScenario {

    /** How the rates rise and how long each is held. */
    public record Ladder(double startRate, int maxSteps, Duration step, Duration warmup, int workers) {}

    private final BenchSystem system;
    private final Ladder ladder;
    private final Results results;

    public ReadScenario(BenchSystem system, Ladder ladder, Results results) {
        this.system = system;
        this.ladder = ladder;
        this.results = results;
    }

    /** The highest rates the API held with and without its cache, for the soak test to size itself on. */
    public record Knees(double cached, double uncached) {}

    public Knees run() throws Exception {
        OpenLoop http = new OpenLoop(ladder.workers());
        Supplier<Call> cached = () -> ApiReads.against(system.api(), system.queryUrl(), system.tenants());
        Supplier<Call> uncached = () -> ApiReads.against(system.api(), system.uncachedQueryUrl(), system.tenants());

        progress("S1 warm-up...");
        http.run("warm-up", ladder.startRate(), ladder.warmup(), cached);
        http.run("warm-up", ladder.startRate(), ladder.warmup(), uncached);

        long[] deploymentsBefore = system.cacheGets(QueryCache.DEPLOYMENTS);
        long[] statsBefore = system.cacheGets(QueryCache.TENANT_STATS);
        List<Double> rates = new ArrayList<>();
        for (int step = 0; step < ladder.maxSteps(); step++) {
            rates.add(ladder.startRate() * Math.pow(2, step));
        }
        List<Recording> api = climb(http, cached, "read mix, API (cache on)", "API (cache on)", rates);
        long[] deploymentsAfter = system.cacheGets(QueryCache.DEPLOYMENTS);
        long[] statsAfter = system.cacheGets(QueryCache.TENANT_STATS);
        List<Double> tried = api.stream().map(Recording::targetRate).toList();
        long apiStatements = system.uncachedQuerySideStatements();
        List<Recording> withoutCache = climb(http, uncached, "read mix, API (cache off)", "API (cache off)", tried);
        apiStatements = system.uncachedQuerySideStatements() - apiStatements;
        List<Recording> viaJdbc;
        List<Recording> viaBare;
        long jdbcStatements;
        try (ReadConnections connections =
                new ReadConnections(system::connectAsQuerySide, system.uncachedQuerySidePoolSize())) {
            Supplier<Call> jdbc = () -> JdbcReads.against(connections, system.tenants());
            http.run("warm-up", ladder.startRate(), ladder.warmup(), jdbc);
            long before = connections.statements();
            viaJdbc = climb(http, jdbc, "read mix, bare JDBC", "bare JDBC", tried);
            jdbcStatements = connections.statements() - before;
            try (BareEndpoint bare = new BareEndpoint(connections, ladder.workers())) {
                Supplier<Call> bareCalls = () -> bare.client(system.api(), system.tenants());
                http.run("warm-up", ladder.startRate(), ladder.warmup(), bareCalls);
                viaBare = climb(http, bareCalls, "read mix, bare HTTP endpoint", "bare HTTP endpoint + JDBC", tried);
            }
            results.note(String.format(
                    Locale.ROOT,
                    "S1 bare JDBC and bare HTTP endpoint: per read %s (RLS on, the API's statement texts), on %d"
                            + " shared connections of the query side's login (its pool's size), %d workers",
                    ReadSql.PER_READ,
                    connections.size(),
                    ladder.workers()));
        }
        perRead(
                "S1 statements per read, API cache off",
                apiStatements,
                withoutCache,
                "tessera.db.statement of the uncached instance over its climb: the read's transaction, the rate"
                        + " limiter's bucket, the offboarding rechecks");
        perRead(
                "S1 statements per read, bare JDBC",
                jdbcStatements,
                viaJdbc,
                "sent by the bare path over its climb; transaction ends not counted, as in the API's meter");

        double apiKnee = held(api);
        ratioAt("S1 API / bare JDBC", api, viaJdbc);
        ratioAt("S1 API / bare HTTP endpoint", api, viaBare);
        ratioAt("S1 API cache off / cache on", withoutCache, api);
        ratioAt("S1 API cache off / bare JDBC", withoutCache, viaJdbc);
        ratioAt("S1 API cache off / bare HTTP endpoint", withoutCache, viaBare);
        knee("S1 knee, API cache on (req/s)", api);
        knee("S1 knee, API cache off (req/s)", withoutCache);
        knee("S1 knee, bare JDBC (req/s)", viaJdbc);
        knee("S1 knee, bare HTTP endpoint (req/s)", viaBare);
        results.ratio(
                "S1 API knee / bare HTTP endpoint knee",
                held(viaBare) == 0 ? Double.NaN : apiKnee / held(viaBare),
                "highest rates held; the API answers ~all from its cache, the bare endpoint from the database");
        results.ratio(
                "S1 knee, API cache off / bare JDBC",
                held(viaJdbc) == 0 ? Double.NaN : held(withoutCache) / held(viaJdbc),
                "highest rates held; a baseline that bounds the uncached API keeps this at 1 or below");
        results.ratio(
                "S1 knee, API cache off / bare HTTP endpoint",
                held(viaBare) == 0 ? Double.NaN : held(withoutCache) / held(viaBare),
                "highest rates held; a baseline that bounds the uncached API keeps this at 1 or below");
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
        progress("S1 deep cursor walks...");
        DeepCursor.measure(system, results);
        double uncachedKnee = held(withoutCache);
        return new Knees(
                apiKnee == 0 ? ladder.startRate() : apiKnee, uncachedKnee == 0 ? ladder.startRate() : uncachedKnee);
    }

    private void perRead(String name, long statements, List<Recording> steps, String basis) {
        long reads =
                steps.stream().mapToLong(step -> step.count() + step.errors()).sum();
        results.ratio(name, reads == 0 ? Double.NaN : (double) statements / reads, basis);
    }

    /** The rates in order, each held for a step, up to and including the first one past the knee. */
    private List<Recording> climb(OpenLoop loop, Supplier<Call> calls, String name, String line, List<Double> rates)
            throws InterruptedException {
        List<Recording> steps = new ArrayList<>();
        for (double rate : rates) {
            progress(String.format(Locale.ROOT, "S1 %s at %.0f/s...", line, rate));
            Recording recording = loop.run(name, rate, ladder.step(), calls);
            steps.add(recording);
            results.add("S1", recording, 0);
            results.point(line, recording);
            if (beyondKnee(recording)) {
                break;
            }
        }
        return steps;
    }

    /** The highest rate held below the knee; 0 if even the first was past it. */
    static double held(List<Recording> steps) {
        double held = 0;
        for (Recording step : steps) {
            if (beyondKnee(step)) {
                break;
            }
            held = step.targetRate();
        }
        return held;
    }

    private void knee(String name, List<Recording> steps) {
        double held = held(steps);
        boolean reached = steps.stream().anyMatch(ReadScenario::beyondKnee);
        results.ratio(
                name,
                held,
                held == 0
                        ? "past the knee at the first rate"
                        : reached
                                ? "past it at " + (int) (held * 2) + "/s: done/s < 90 % of the rate, > 1 % errors or"
                                        + " p95 > 500 ms"
                                : "no knee up to the highest rate tried (" + (int) held + "/s)");
    }

    /** p50 and p95 of {@code top} / {@code bottom} at the highest rate both held. */
    private void ratioAt(String name, List<Recording> top, List<Recording> bottom) {
        double common = Math.min(held(top), held(bottom));
        Recording a = at(top, common);
        Recording b = at(bottom, common);
        String basis = a == null || b == null
                ? "no rate both held"
                : String.format(Locale.ROOT, "at %.0f/s, the highest rate both held", common);
        results.ratio(name + " p50", a == null || b == null ? Double.NaN : a.millisAt(50) / b.millisAt(50), basis);
        results.ratio(name + " p95", a == null || b == null ? Double.NaN : a.millisAt(95) / b.millisAt(95), basis);
    }

    private static Recording at(List<Recording> steps, double rate) {
        return steps.stream().filter(s -> s.targetRate() == rate).findFirst().orElse(null);
    }

    static boolean beyondKnee(Recording step) {
        long sent = step.count() + step.errors();
        return step.throughput() < 0.9 * step.targetRate()
                || step.errors() > 0.01 * Math.max(1, sent)
                || step.millisAt(95) > 500;
    }

    private static void progress(String text) {
        System.err.println("... " + text);
    }
}
