package io.tessera.benchmarks.soak;

import io.tessera.benchmarks.load.Call;
import io.tessera.benchmarks.load.OpenLoop;
import io.tessera.benchmarks.load.Recording;
import io.tessera.benchmarks.reads.ApiReads;
import io.tessera.benchmarks.report.Results;
import io.tessera.benchmarks.system.BenchSystem;
import io.tessera.benchmarks.system.Tenants;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * S4: a mixed soak, 80 % reads (the S1 mix) and 20 % creations as two open loops, first on the quiet tenants
 * alone, then again with the noisy tenant sending list requests at five times its own rate limit. The noisy
 * tenant's 429s are counted as refusals; the quiet tenants' p95 is compared between the two phases.
 */
public final class SoakScenario {

    private final BenchSystem system;
    private final Duration phase;
    private final int noisyLimitPerMinute;
    private final Results results;

    public SoakScenario(BenchSystem system, Duration phase, int noisyLimitPerMinute, Results results) {
        this.system = system;
        this.phase = phase;
        this.noisyLimitPerMinute = noisyLimitPerMinute;
        this.results = results;
    }

    public void run(double rate) throws Exception {
        double reads = 0.8 * rate;
        double commands = 0.2 * rate;
        double noisy = 5 * noisyLimitPerMinute / 60.0;
        progress(String.format(Locale.ROOT, "S4 soak, quiet tenants alone at %.0f/s...", rate));
        List<Recording> quiet = phase(reads, commands, 0, "");
        progress("S4 soak: spending the noisy tenant's bucket...");
        long primed = spendNoisyBucket();
        progress(String.format(Locale.ROOT, "S4 soak, with the noisy tenant at %.0f/s...", noisy));
        List<Recording> withNoisy = phase(reads, commands, noisy, " + noisy");
        quiet.forEach(r -> results.add("S4", r, 0));
        withNoisy.forEach(r -> results.add("S4", r, 0));
        Recording noisyRecording = withNoisy.get(2);
        results.ratio(
                "S4 quiet reads p95, noisy / alone",
                withNoisy.get(0).millisAt(95) / quiet.get(0).millisAt(95),
                String.format(
                        Locale.ROOT,
                        "%.1f ms / %.1f ms; noisy tenant at %.0f/s = 5x its limit of %d/min (its bucket spent by %d"
                                + " requests first): %d answered 429, %d served",
                        withNoisy.get(0).millisAt(95),
                        quiet.get(0).millisAt(95),
                        noisy,
                        noisyLimitPerMinute,
                        primed,
                        noisyRecording.refused(),
                        noisyRecording.count()));
        results.ratio(
                "S4 quiet commands p95, noisy / alone",
                withNoisy.get(1).millisAt(95) / quiet.get(1).millisAt(95),
                String.format(
                        Locale.ROOT,
                        "%.1f ms / %.1f ms",
                        withNoisy.get(1).millisAt(95),
                        quiet.get(1).millisAt(95)));
    }

    private List<Recording> phase(double reads, double commands, double noisy, String suffix) throws Exception {
        OpenLoop loop = new OpenLoop(32);
        List<Callable<Recording>> loops = new ArrayList<>();
        loops.add(() -> loop.run(
                "soak reads, quiet tenants" + suffix,
                reads,
                phase,
                () -> ApiReads.against(system.api(), system.queryUrl(), system.tenants())));
        loops.add(() -> new OpenLoop(16).run("soak creations, quiet tenants" + suffix, commands, phase, this::create));
        if (noisy > 0) {
            loops.add(() -> new OpenLoop(16).run("noisy tenant list requests", noisy, phase, this::noisyRead));
        }
        ExecutorService pool = Executors.newFixedThreadPool(loops.size());
        try {
            List<Recording> recordings = new ArrayList<>();
            for (Future<Recording> running : pool.invokeAll(loops)) {
                recordings.add(running.get());
            }
            return recordings;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The bucket holds a minute's worth of requests, so five times the rate would need 15 s to empty it; spent
     * first, the limit holds from the phase's first second on. Returns the requests it took.
     */
    private long spendNoisyBucket() throws InterruptedException {
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        new io.tessera.benchmarks.load.ClosedLoop().run("spend", 8, Duration.ofSeconds(60), () -> () -> {
            sent.incrementAndGet();
            int status = system.api()
                    .get(
                            system.queryUrl() + "/api/deployments?limit=50",
                            system.tenants().noisyViewer())
                    .statusCode();
            return status == 429 ? Call.Outcome.DONE : Call.Outcome.OK;
        });
        return sent.get();
    }

    private Call create() {
        Tenants tenants = system.tenants();
        return () -> {
            int tenant = ThreadLocalRandom.current().nextInt(tenants.count());
            HttpResponse<String> response = system.api()
                    .post(
                            system.commandUrl() + "/api/deployments",
                            tenants.editor(tenant),
                            "{\"project_name\":\"soak-" + UUID.randomUUID() + "\"}");
            return Call.ok(response.statusCode() == 202);
        };
    }

    private Call noisyRead() {
        return () -> {
            int status = system.api()
                    .get(
                            system.queryUrl() + "/api/deployments?limit=50",
                            system.tenants().noisyViewer())
                    .statusCode();
            return status == 429 ? Call.Outcome.REFUSED : Call.ok(status == 200);
        };
    }

    private static void progress(String text) {
        System.err.println("... " + text);
    }
}
