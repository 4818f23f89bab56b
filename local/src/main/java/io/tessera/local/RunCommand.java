package io.tessera.local;

import io.tessera.infra.security.TokenIssuer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code run}: the whole system in the foreground until Ctrl-C. */
final class RunCommand {

    static final String USAGE = """
            ./tessera run [--no-demo]
                Starts PostgreSQL and Kafka (embedded, data under .tessera/, unless TESSERA_DB_URL /
                TESSERA_KAFKA_BOOTSTRAP name external ones), the command side (8081) and the query side
                (8082) in this process; seeds the demo tenants acme and globex unless --no-demo; prints the
                URLs, the JWT secret and ready-made tokens. Ctrl-C stops everything.""";

    private final Map<String, String> env;
    private final Path home;
    private final PrintStream out;

    RunCommand(Map<String, String> env, Path home, PrintStream out) {
        this.env = env;
        this.home = home;
        this.out = out;
    }

    int execute(List<String> args) throws InterruptedException {
        boolean demo =
                !Arguments.parse("run", args, Set.of(), Set.of("no-demo")).flag("no-demo");
        LocalRunSettings settings = LocalRunSettings.fromEnvironment(env, home);
        long startedAt = System.nanoTime();
        LocalRun run = new LocalRun(settings, out::println);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            out.println("Stopping Tessera...");
                            run.close();
                            out.println("Tessera stopped.");
                            stopped.countDown();
                        },
                        "tessera-stop"));
        out.println(
                "Starting Tessera: PostgreSQL, Kafka, the command side and the query side (about half a minute)...");
        run.start();
        TokenIssuer tokens = settings.jwtSecret().tokenIssuer(env);
        List<String> demoOutcome = demo ? new DemoData(new ApiClient(run.commandSideUrl()), tokens).seed() : List.of();
        new ReadinessBanner(run, settings, tokens)
                .print(out, Duration.ofNanos(System.nanoTime() - startedAt), demo, demoOutcome);
        stopped.await();
        return 0;
    }
}
