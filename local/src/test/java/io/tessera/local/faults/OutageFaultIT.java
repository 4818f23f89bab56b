package io.tessera.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.infra.runtime.LocalPostgres;
import io.tessera.local.faults.FaultSystem.Answer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * PostgreSQL taken away under a steady command stream: stopped immediately (SIGQUIT to the postmaster, as
 * {@code pg_ctl stop -m immediate}) for ~10 s and restarted on the same data and port, then the app-to-database
 * link frozen for 30 s by a NetCrusher TCP proxy. Meanwhile clients get 503 {@code UNAVAILABLE} in the envelope
 * (never SQL text), health answers, and afterwards everything accepted is stored, published and projected.
 */
class DatabaseOutageFaultIT {

    private static final Duration STOPPED = Duration.ofSeconds(10);
    private static final Duration FROZEN = Duration.ofSeconds(30);

    private static Path dataDirectory;
    private static int postgresPort;
    private static LocalPostgres postgres;
    private static NioReactor reactor;
    private static TcpCrusher link;
    private static FaultSystem system;

    @BeforeAll
    static void start(@TempDir Path home) throws IOException {
        dataDirectory = home.resolve("postgres");
        postgresPort = FaultSystem.freePort();
        postgres = LocalPostgres.start(dataDirectory, postgresPort, false);
        int linkPort = FaultSystem.freePort();
        reactor = new NioReactor();
        link = TcpCrusherBuilder.builder()
                .withReactor(reactor)
                .withBindAddress("127.0.0.1", linkPort)
                .withConnectAddress("127.0.0.1", postgresPort)
                .buildAndOpen();
        String direct = postgres.jdbcUrl();
        String throughLink = direct.replace(":" + postgresPort + "/", ":" + linkPort + "/");
        system = FaultSystem.onDatabase(throughLink, direct, "db-faults").start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (system != null) {
            system.close();
        }
        if (link != null) {
            link.close();
        }
        if (reactor != null) {
            reactor.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** What a client without retries saw while the database was away, and what health said. */
    private static final class Observer implements AutoCloseable {
        final List<Answer> commands = new CopyOnWriteArrayList<>();
        final List<String> health = new CopyOnWriteArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Thread> threads = new ArrayList<>();

        Observer start(String tenant) {
            String token = system.editor(tenant);
            threads.add(started("observer-commands", () -> {
                while (!stop.get()) {
                    commands.add(system.call(
                            system.commandSide.url(),
                            "POST",
                            "/api/deployments",
                            token,
                            Map.of("project_name", "fault-observer-" + UUID.randomUUID()),
                            UUID.randomUUID().toString()));
                    ChildJvm.sleep(Duration.ofMillis(300));
                }
            }));
            threads.add(started("observer-health", () -> {
                while (!stop.get()) {
                    for (ChildJvm side : List.of(system.commandSide, system.querySide)) {
                        Answer answer = system.call(side.url(), "GET", "/actuator/health", null, null, null);
                        health.add(answer.status() < 0 ? "no answer: " + answer.failure() : "" + answer.status());
                    }
                    ChildJvm.sleep(Duration.ofMillis(500));
                }
            }));
            return this;
        }

        private static Thread started(String name, Runnable work) {
            Thread thread = new Thread(work, name);
            thread.start();
            return thread;
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }

    @Test
    void aStoppedAndAFrozenDatabaseGiveClean503sAndRecover() throws Exception {
        Ledger ledger = new Ledger("database");
        RetryingClient client = new RetryingClient(system, ledger, Duration.ofMinutes(5));
        String observed = "db-observer-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> tenants = List.of(
                "db-" + UUID.randomUUID().toString().substring(0, 6),
                "db-" + UUID.randomUUID().toString().substring(0, 6),
                "db-" + UUID.randomUUID().toString().substring(0, 6));
        int workers = 4;
        int perWorker = FaultScale.pick(40, 250);
        Observer observer = new Observer();
        try (CommandStream stream =
                new CommandStream(system, client, tenants, workers, perWorker, 4, FaultScale.seed()).start()) {
            stream.awaitAnswered(workers * perWorker / 5);
            observer.start(observed);

            stopPostgresImmediately();
            ChildJvm.sleep(STOPPED);
            postgres = LocalPostgres.start(dataDirectory, postgresPort, false);
            System.out.println("[faults] PostgreSQL restarted after " + STOPPED.toSeconds() + " s");
            awaitAccepted(observer);

            link.freeze();
            System.out.println("[faults] app<->PostgreSQL link frozen");
            ChildJvm.sleep(FROZEN);
            link.unfreeze();
            System.out.println("[faults] app<->PostgreSQL link unfrozen after " + FROZEN.toSeconds() + " s");
            awaitAccepted(observer);
            observer.close();
            stream.finish();
        } finally {
            observer.close();
        }

        Map<String, Integer> seen = new TreeMap<>();
        List<String> unclean = new ArrayList<>();
        for (Answer answer : observer.commands) {
            seen.merge(answer.status() < 0 ? "no answer" : answer.status() + " " + answer.errorCode(), 1, Integer::sum);
            if (answer.status() >= 500
                    && !(answer.status() == 503 && answer.errorCode().equals("UNAVAILABLE"))) {
                unclean.add(answer.describe());
            }
            if (answer.status() >= 400 && mentionsSql(answer.body())) {
                unclean.add("SQL in: " + answer.describe());
            }
        }
        Map<String, Integer> healthSeen = new TreeMap<>();
        observer.health.forEach(h -> healthSeen.merge(h, 1, Integer::sum));
        System.out.println(
                "[faults] database outage: commands without retry answered " + seen + "; health " + healthSeen);
        assertThat(unclean).as("only clean 503 UNAVAILABLE, no SQL").isEmpty();
        assertThat(seen).containsKey("503 UNAVAILABLE");
        assertThat(healthSeen.keySet()).as("health always answered").noneMatch(h -> h.startsWith("no answer"));

        for (Answer answer : observer.commands) {
            if (answer.status() == 202) {
                ledger.sent(observed);
                ledger.accepted(observed);
                ledger.created(observed, answer.id(), null);
            }
        }
        Ledger.Report report = ledger.check(system, Duration.ofMinutes(3));
        assertThat(report.problems()).isEmpty();
        assertThat(report.total().unresolved()).isZero();
    }

    private static boolean mentionsSql(String body) {
        String text = body == null ? "" : body.toLowerCase(Locale.ROOT);
        return List.of("select ", "insert ", "update ", "sql", "postgres", "jdbc", "hikari", "exception").stream()
                .anyMatch(text::contains);
    }

    /** Waits until a fresh command is accepted again: the system recovered. */
    private static void awaitAccepted(Observer observer) {
        int before = observer.commands.size();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            List<Answer> since = observer.commands.subList(before, observer.commands.size());
            if (since.stream().anyMatch(a -> a.status() == 202)) {
                return;
            }
            ChildJvm.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("no command accepted within 3 minutes of the database's return");
    }

    /** SIGQUIT to the postmaster is PostgreSQL's immediate shutdown (what pg_ctl stop -m immediate sends). */
    private static void stopPostgresImmediately() throws Exception {
        String pid = Files.readAllLines(dataDirectory.resolve("postmaster.pid"))
                .get(0)
                .trim();
        Process kill = new ProcessBuilder("kill", "-QUIT", pid).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(pid)).orElse(null);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (postmaster != null && postmaster.isAlive() && System.nanoTime() < deadline) {
            ChildJvm.sleep(Duration.ofMillis(100));
        }
        // Releases the embedded server's lock on the data directory; its own stop finds no server any more.
        try {
            postgres.close();
        } catch (IOException alreadyGone) {
            // Expected: the server is gone.
        }
        System.out.println("[faults] PostgreSQL stopped immediately (SIGQUIT to postmaster " + pid + ")");
    }
}
