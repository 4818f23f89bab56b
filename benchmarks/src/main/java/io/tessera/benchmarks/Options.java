package io.tessera.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** What one run does, from the command line; {@code --quick} shrinks the data and the times, not the shape. */
record Options(
        boolean quick,
        int tenants,
        int deployments,
        int workflows,
        int loadConcurrency,
        Duration loadBudget,
        double startRate,
        int maxSteps,
        Duration step,
        Duration warmup,
        int workers,
        Duration commandStep,
        Duration soakPhase,
        int noisyLimitPerMinute,
        double zipfExponent,
        boolean jfr,
        Set<String> scenarios,
        List<String> serviceProperties,
        Path hotspots,
        Path out) {

    static final Set<String> SCENARIOS = Set.of("S1", "S2", "S3", "S4", "S5");

    static final String USAGE = """
            Usage: ./tessera bench [--quick] [options]
                   (or java -jar benchmarks/target/tessera-benchmarks-*.jar [--quick] [options])
              --quick                  under 3 minutes: 5 deployments + 2 workflows a tenant, 2 s steps
              --tenants N              tenants (default 100)
              --deployments N          deployments a tenant, loaded through the command path (default 1000)
              --workflows N            workflows a tenant, loaded through the command path (default 500)
              --load-concurrency N     concurrent creations while loading (default 32)
              --load-minutes N         the load stops after this long, whatever it reached (default 30, quick 1)
              --start-rate R           S1's first arrival rate, requests/s; doubled each step (default 25)
              --steps N                at most this many S1 rates (default 7, quick 3)
              --step-seconds N         how long each S1 rate is held (default 10, quick 2)
              --command-seconds N      how long each S2 concurrency is held (default 15, quick 2)
              --soak-seconds N         each of S4's two phases (default 60, quick 5)
              --noisy-limit N          S4's noisy tenant's rate limit, requests/min (default 600, quick 120)
              --workers N              HTTP workers of the open loops (default 64)
              --zipf S                 Zipf exponent of the tenant choice (default 1.1)
              --jfr                    record the scenarios with JDK Flight Recorder and print where the CPU went
              --scenarios S1,S2,S3,S4,S5  which scenarios run after the load (default all)
              --set KEY=VALUE          a Spring property for every side started (repeatable), e.g. to measure a
                                       setting before and after: --set spring.datasource.hikari.maximum-pool-size=20
              --hotspots FILE.jfr      only print where the CPU went in an existing recording
              --out DIR                results.txt, results.json, report.md, PNG plots (default benchmarks/target/bench)
            """;

    static Options parse(List<String> args) {
        boolean quick = args.contains("--quick");
        int tenants = 100;
        int deployments = quick ? 5 : 1000;
        int workflows = quick ? 2 : 500;
        int loadConcurrency = 32;
        int loadMinutes = quick ? 1 : 30;
        double startRate = 25;
        int steps = quick ? 3 : 7;
        int stepSeconds = quick ? 2 : 10;
        int commandSeconds = quick ? 2 : 15;
        int soakSeconds = quick ? 5 : 60;
        int noisyLimit = quick ? 120 : 600;
        int workers = 64;
        double zipf = 1.1;
        boolean jfr = false;
        Path hotspots = null;
        Path out = null;
        Set<String> scenarios = SCENARIOS;
        List<String> serviceProperties = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> {
                    continue;
                }
                case "--jfr" -> {
                    jfr = true;
                    continue;
                }
                case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
                default -> {}
            }
            if (!arg.startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("Unknown or incomplete option: " + arg + "\n" + USAGE);
            }
            String value = args.get(++i);
            switch (arg) {
                case "--tenants" -> tenants = atLeast(arg, value, 1);
                case "--deployments" -> deployments = atLeast(arg, value, 0);
                case "--workflows" -> workflows = atLeast(arg, value, 0);
                case "--load-concurrency" -> loadConcurrency = atLeast(arg, value, 1);
                case "--load-minutes" -> loadMinutes = atLeast(arg, value, 1);
                case "--start-rate" -> startRate = rate(arg, value);
                case "--steps" -> steps = atLeast(arg, value, 1);
                case "--step-seconds" -> stepSeconds = atLeast(arg, value, 1);
                case "--command-seconds" -> commandSeconds = atLeast(arg, value, 1);
                case "--soak-seconds" -> soakSeconds = atLeast(arg, value, 1);
                case "--noisy-limit" -> noisyLimit = atLeast(arg, value, 1);
                case "--workers" -> workers = atLeast(arg, value, 1);
                case "--zipf" -> zipf = zipfExponent(value);
                case "--hotspots" -> hotspots = Path.of(value);
                case "--scenarios" -> scenarios = scenarios(value);
                case "--set" -> serviceProperties.add(property(value));
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("Unknown option: " + arg + "\n" + USAGE);
            }
        }
        if (out == null) {
            out = Files.isDirectory(Path.of("benchmarks", "target"))
                    ? Path.of("benchmarks", "target", "bench")
                    : Path.of("target", "bench");
        }
        return new Options(
                quick,
                tenants,
                deployments,
                workflows,
                loadConcurrency,
                Duration.ofMinutes(loadMinutes),
                startRate,
                steps,
                Duration.ofSeconds(stepSeconds),
                Duration.ofSeconds(stepSeconds),
                workers,
                Duration.ofSeconds(commandSeconds),
                Duration.ofSeconds(soakSeconds),
                noisyLimit,
                zipf,
                jfr,
                scenarios,
                List.copyOf(serviceProperties),
                hotspots,
                out);
    }

    private static Set<String> scenarios(String value) {
        Set<String> chosen = new TreeSet<>();
        for (String name : value.split(",")) {
            String scenario = name.trim().toUpperCase(Locale.ROOT);
            if (!SCENARIOS.contains(scenario)) {
                throw new IllegalArgumentException("--scenarios: S1, S2, S3, S4 or S5, not " + name);
            }
            chosen.add(scenario);
        }
        return Set.copyOf(chosen);
    }

    private static String property(String value) {
        int eq = value.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException("--set needs KEY=VALUE: " + value);
        }
        return value;
    }

    private static int atLeast(String name, String value, int min) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number: " + value);
        }
    }

    private static double rate(String name, String value) {
        try {
            double parsed = Double.parseDouble(value);
            if (!(parsed > 0) || parsed > 1_000_000) {
                throw new IllegalArgumentException(name + " must be in (0, 1000000]: " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number: " + value);
        }
    }

    private static double zipfExponent(String value) {
        try {
            double parsed = Double.parseDouble(value);
            if (!(parsed > 0) || parsed > 10) {
                throw new IllegalArgumentException("--zipf must be in (0, 10]: " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--zipf must be a number: " + value);
        }
    }
}
