package io.tessera.benchmarks;

import io.tessera.benchmarks.commands.CommandScenario;
import io.tessera.benchmarks.profile.Hotspots;
import io.tessera.benchmarks.reads.ReadScenario;
import io.tessera.benchmarks.replay.ReplayScenario;
import io.tessera.benchmarks.report.JsonReport;
import io.tessera.benchmarks.report.LatencyPlot;
import io.tessera.benchmarks.report.MarkdownReport;
import io.tessera.benchmarks.report.Results;
import io.tessera.benchmarks.report.StatementLatency;
import io.tessera.benchmarks.report.TextTable;
import io.tessera.benchmarks.seeding.CommandPathLoad;
import io.tessera.benchmarks.soak.SoakScenario;
import io.tessera.benchmarks.system.BenchSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * {@code ./tessera bench}: starts the system on the embedded runtime, loads it through the command path, runs
 * S1 (reads) to S5 (one hot tenant) and prints one table, written again as text, JSON and Markdown with plots. See
 * benchmarks/README.md.
 */
public final class Benchmarks {

    private final Options options;
    private final Results results = new Results();

    private Benchmarks(Options options) {
        this.options = options;
    }

    public static void main(String[] args) {
        // Before any logger exists: the embedded servers log early, Spring reads logging.config later.
        System.setProperty("logback.configurationFile", BenchSystem.LOGGING);
        System.setProperty("java.awt.headless", "true");
        Options options;
        try {
            options = Options.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int status = 0;
        try {
            if (options.hotspots() != null) {
                Hotspots.of(options.hotspots()).report(12).forEach(System.out::println);
            } else {
                new Benchmarks(options).run();
            }
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        results.header(String.format(
                Locale.ROOT,
                "Tessera bench %s, %d CPUs, Java %s%s",
                OffsetDateTime.now(ZoneOffset.UTC).withNano(0),
                Runtime.getRuntime().availableProcessors(),
                Runtime.version(),
                options.quick() ? ", --quick" : ""));
        progress("starting PostgreSQL, Kafka, the command side and two query sides...");
        try (BenchSystem system = BenchSystem.start(
                options.tenants(),
                options.zipfExponent(),
                options.noisyLimitPerMinute(),
                options.serviceProperties())) {
            results.header(String.format(Locale.ROOT, "system started in %.1f s", (System.nanoTime() - started) / 1e9));
            Recording profile = options.jfr() ? startProfile() : null;
            CommandPathLoad.Loaded loaded = new CommandPathLoad(system, options.loadConcurrency())
                    .load(options.deployments(), options.workflows(), options.loadBudget());
            results.header(loaded.describe());
            results.add("load", loaded.tenantCommands(), Math.min(options.loadConcurrency(), 16));
            results.add("load", loaded.creations(), options.loadConcurrency());
            results.ratio(
                    "load commands/s",
                    loaded.creations().throughput(),
                    "POST deployments and workflows, c=" + options.loadConcurrency());

            if (!options.serviceProperties().isEmpty()) {
                results.header("service properties: " + String.join(" ", options.serviceProperties()));
            }
            ReadScenario.Knees held = options.scenarios().contains("S1")
                    ? new ReadScenario(
                                    system,
                                    new ReadScenario.Ladder(
                                            options.startRate(),
                                            options.maxSteps(),
                                            options.step(),
                                            options.warmup(),
                                            options.workers()),
                                    results)
                            .run()
                    : new ReadScenario.Knees(options.startRate() * 2, options.startRate() * 2);
            double commands = 0;
            if (options.scenarios().contains("S2")) {
                commands = new CommandScenario(system, options.commandStep(), results).run(1, 4, 16);
            }
            if (options.scenarios().contains("S5")) {
                new CommandScenario(system, options.commandStep(), results).oneHotTenant(16);
            }
            if (options.scenarios().contains("S3")) {
                new ReplayScenario(system, results).run();
            }
            double soak = soakRate(held.uncached(), commands);
            if (options.scenarios().contains("S4")) {
                new SoakScenario(system, options.soakPhase(), options.noisyLimitPerMinute(), results).run(soak);
            }
            results.header(String.format(
                    Locale.ROOT,
                    "S4 soak at %.0f/s (80 %% reads, 20 %% creations: half the machine, by the uncached S1 knee and"
                            + " S2's best commands/s); total run time %.0f s",
                    soak,
                    (System.nanoTime() - started) / 1e9));
            statementLatency(system);
            List<String> hotspots = profile == null ? List.of() : stopProfile(profile);
            write(hotspots);
        }
    }

    /** The p95 of every JDBC statement each side ran since it started (the spec: under 50 ms). */
    private void statementLatency(BenchSystem system) {
        List<String> sides = List.of("command side", "query side (cached)");
        for (int i = 0; i < sides.size(); i++) {
            StatementLatency.Quantile p95 =
                    StatementLatency.of(system.sideMeters().get(i), 0.95);
            results.ratio(
                    "DB statement p95 (ms), " + sides.get(i),
                    p95.millis(),
                    p95.statements()
                            + " statements over the whole run, tessera.db.statement's buckets (spec: < 50 ms)");
        }
    }

    /**
     * The soak's total rate: half the machine, where 0.8 r / reads + 0.2 r / commands is the share of it that r
     * requests a second take. Reads count at the uncached knee: the soak's creations evict their tenants' cached
     * answers all along (sized on the cached knee, a full run queued its reads for 30 s).
     */
    static double soakRate(double readKnee, double commandsPerSecond) {
        double share = 0.8 / readKnee + (commandsPerSecond > 0 ? 0.2 / commandsPerSecond : 0);
        return Math.max(10, 0.5 / share);
    }

    private Recording startProfile() throws java.io.IOException, ParseException {
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.setName("tessera-bench");
        recording.start();
        return recording;
    }

    private List<String> stopProfile(Recording recording) throws Exception {
        recording.stop();
        Files.createDirectories(options.out());
        Path file = options.out().resolve("bench.jfr");
        recording.dump(file);
        recording.close();
        List<String> lines = new ArrayList<>();
        lines.add("JFR recording from the load to the end of S4: " + file.toAbsolutePath());
        lines.addAll(Hotspots.of(file).report(10));
        return lines;
    }

    private void write(List<String> hotspots) throws Exception {
        List<String> table = new ArrayList<>(TextTable.lines(results));
        if (!hotspots.isEmpty()) {
            table.add("");
            table.addAll(hotspots);
        }
        table.forEach(System.out::println);
        Path out = options.out().toAbsolutePath();
        Files.createDirectories(out);
        Files.write(out.resolve("results.txt"), table, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("results.json"), JsonReport.of(results), StandardCharsets.UTF_8);
        String plot = "s1-latency-vs-rate.png";
        LatencyPlot.write("S1 read mix: latency against arrival rate", results.series(), out.resolve(plot));
        String markdown = MarkdownReport.of(results, List.of(plot));
        if (!hotspots.isEmpty()) {
            markdown += "\n## Profile\n\n```\n" + String.join("\n", hotspots) + "\n```\n";
        }
        Files.writeString(out.resolve("report.md"), markdown, StandardCharsets.UTF_8);
        System.out.println("written: " + out.resolve("results.txt") + ", results.json, report.md, " + plot);
    }

    private static void progress(String text) {
        System.err.println("... " + text);
    }
}
