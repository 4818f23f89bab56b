package io.tessera.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** {@code ./tessera}: the operator CLI. Exit codes: 0 fine, 1 failed, 2 wrong arguments or settings. */
public final class TesseraCli {

    /** Run by the script itself, from the benchmarks module's jar; listed here so that help shows it. */
    static final String BENCH_USAGE = """
            ./tessera bench [--quick] [--jfr] [--deployments N] [--workflows N] [--load-minutes N] [--out DIR] ...
                Starts the system on the embedded runtime in one JVM, loads 100 tenants x 1000 deployments + 500
                workflows through the command path (timed; stops at --load-minutes, default 10, and says what it
                loaded), then measures reads (S1), commands (S2), projection lag and replay (S3) and a soak with a
                noisy tenant (S4) at fixed arrival rates, beside raw JDBC baselines in the same run. Prints one
                table; writes results.txt, results.json, report.md and a PNG to benchmarks/target/bench. --quick:
                under 3 minutes, 5 + 2 rows a tenant. --jfr: where the CPU went. Builds the benchmarks jar when
                stale; ./tessera bench --help lists every option (see benchmarks/README.md).""";

    static final String USAGE = "Usage:\n\n" + RunCommand.USAGE + "\n\n" + TokenCommand.USAGE + "\n\n"
            + ReplayCommand.USAGE + "\n\n" + VerifyCommand.USAGE + "\n\n" + ProjectionsCommand.USAGE + "\n\n"
            + ImportCommand.USAGE
            + "\n\n" + BENCH_USAGE + "\n\n./tessera help | ./tessera --version\n"
            + "    Any command with --help prints its own usage.\n";

    private static final Map<String, String> COMMAND_USAGE = Map.of(
            "run", RunCommand.USAGE,
            "token", TokenCommand.USAGE,
            "replay", ReplayCommand.USAGE,
            "verify", VerifyCommand.USAGE,
            "projections", ProjectionsCommand.USAGE,
            "import", ImportCommand.USAGE);

    private TesseraCli() {}

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), LocalRunSettings.DEFAULT_HOME, System.out, System.err));
    }

    static int execute(String[] args, Map<String, String> env, Path home, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "help" : args[0];
        List<String> options = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        if (COMMAND_USAGE.containsKey(command) && (options.contains("--help") || options.contains("-h"))) {
            out.println("Usage:\n\n" + COMMAND_USAGE.get(command));
            return 0;
        }
        try {
            return switch (command) {
                case "run" -> new RunCommand(env, home, out).execute(options);
                case "token" -> new TokenCommand(env, home, out).execute(options);
                case "replay" -> new ReplayCommand(env, home, out, err).execute(options);
                case "verify" -> new VerifyCommand(env, home, out).execute(options);
                case "projections" -> new ProjectionsCommand(env, home, out).execute(options);
                case "import" -> new ImportCommand(env, home, out, err).execute(options);
                case "bench" -> throw new UsageException("bench runs from the ./tessera script (the benchmarks jar)");
                case "version", "--version", "-V" -> {
                    out.println("tessera " + version());
                    yield 0;
                }
                case "help", "--help", "-h" -> {
                    out.print(USAGE);
                    yield 0;
                }
                default -> throw new UsageException("Unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            err.println("tessera: " + e.getMessage());
            err.println("See ./tessera help");
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            err.println("tessera: " + describe(e));
            return 1;
        }
    }

    /** The project's version, as the build wrote it into the jar. */
    static String version() {
        try (InputStream info = TesseraCli.class.getResourceAsStream("/META-INF/build-info.properties")) {
            if (info == null) {
                return "unknown (no build info)";
            }
            Properties properties = new Properties();
            properties.load(info);
            return properties.getProperty("build.version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("The build info could not be read", e);
        }
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? failure.getMessage() : failure.getMessage() + " (" + root + ")";
    }
}
