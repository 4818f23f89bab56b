package io.tessera.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one run measures, from the command line. Every loop is bounded twice: by a count and by a time
 * limit, whichever comes first.
 */
record Options(
        int tenants,
        int deployments,
        int commands,
        int commandConcurrency,
        int threads,
        int requests,
        Duration limit,
        int warmup,
        int e2eSamples,
        double zipfExponent,
        int pageSize,
        boolean quick,
        Path out) {

    static final String USAGE = """
            Usage: java -jar benchmarks/target/tessera-benchmarks-*.jar [options]
              --quick                  about a minute: fewer commands, requests and samples
              --tenants N              tenants (default 100)
              --deployments N          deployments per tenant in the read model (default 1000)
              --commands N             creations through POST /api/deployments (default 2000, quick 200)
              --command-concurrency N  concurrent creations (default 8)
              --threads N              concurrent readers (default 8)
              --requests N             requests per read scenario (default 20000, quick 3000)
              --seconds N              time limit per read scenario (default 15, quick 4)
              --warmup N               unrecorded requests before the read scenarios (default 3000, quick 600)
              --e2e N                  command-to-query samples (default 200, quick 30)
              --zipf S                 Zipf exponent of the skewed tenant choice (default 1.1)
              --out FILE               results file (default benchmarks/target/results.txt)
            """;

    static Options parse(List<String> args) {
        boolean quick = args.contains("--quick");
        int tenants = 100;
        int deployments = 1000;
        int commands = quick ? 200 : 2000;
        int commandConcurrency = 8;
        int threads = 8;
        int requests = quick ? 3000 : 20000;
        int seconds = quick ? 4 : 15;
        int warmup = quick ? 600 : 3000;
        int e2e = quick ? 30 : 200;
        double zipf = 1.1;
        Path out = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--quick")) {
                continue;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (!arg.startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("Unknown or incomplete option: " + arg + "\n" + USAGE);
            }
            String value = args.get(++i);
            switch (arg) {
                case "--tenants" -> tenants = positive(arg, value);
                case "--deployments" -> deployments = positive(arg, value);
                case "--commands" -> commands = atLeast(arg, value, 0);
                case "--command-concurrency" -> commandConcurrency = positive(arg, value);
                case "--threads" -> threads = positive(arg, value);
                case "--requests" -> requests = positive(arg, value);
                case "--seconds" -> seconds = positive(arg, value);
                case "--warmup" -> warmup = atLeast(arg, value, 0);
                case "--e2e" -> e2e = atLeast(arg, value, 0);
                case "--zipf" -> zipf = zipfExponent(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("Unknown option: " + arg + "\n" + USAGE);
            }
        }
        if (out == null) {
            out = Path.of("benchmarks", "target").toFile().isDirectory()
                    ? Path.of("benchmarks", "target", "results.txt")
                    : Path.of("target").toFile().isDirectory()
                            ? Path.of("target", "results.txt")
                            : Path.of("results.txt");
        }
        return new Options(
                tenants,
                deployments,
                commands,
                commandConcurrency,
                threads,
                requests,
                Duration.ofSeconds(seconds),
                warmup,
                e2e,
                zipf,
                50,
                quick,
                out);
    }

    private static int positive(String name, String value) {
        return atLeast(name, value, 1);
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
