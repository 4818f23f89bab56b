package io.tessera.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.Topics;
import io.tessera.infra.runtime.LocalPostgres;
import io.tessera.local.faults.FaultSystem.Answer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * The system's dependencies taken away under a steady command stream. PostgreSQL: stopped immediately (SIGQUIT
 * to the postmaster, as {@code pg_ctl stop -m immediate}) for ~10 s and restarted on the same data and port, then
 * the app-to-database link frozen for 30 s by a NetCrusher TCP proxy; meanwhile clients get 503 {@code
 * UNAVAILABLE} in the envelope (never SQL text) and health answers. Kafka: the command side's and the query side's
 * links to the broker frozen (10 s in CI, 30 s in the long run); meanwhile commands are still accepted (the event
 * store is the outbox), reads and health answer. After each, everything accepted is stored once, published and
 * projected once. Its own PostgreSQL and its own broker process, whose advertised listeners are the links, so
 * that every reconnection of a Kafka client goes through the link too.
 */
class OutageFaultIT {

    private static final Duration STOPPED = Duration.ofSeconds(10);
    private static final Duration FROZEN = Duration.ofSeconds(30);
    private static final Duration KAFKA_FROZEN =
            Duration.ofSeconds(FaultScale.count("tessera.faults.kafka-freeze-seconds", 10, 30));

    private static final Duration SETTLE = Duration.ofSeconds(3);

    private static Path dataDirectory;
    private static int postgresPort;
    private static LocalPostgres postgres;
    private static NioReactor reactor;
    private static TcpCrusher link;
    private static KafkaBrokerProcesses kafka;
    private static TcpCrusher commandSideKafkaLink;
    private static TcpCrusher querySideKafkaLink;
    private static FaultSystem system;

    @BeforeAll
    static void start(@TempDir Path home) throws IOException {
        dataDirectory = home.resolve("postgres");
        postgresPort = FaultSystem.freePort();
        postgres = LocalPostgres.start(dataDirectory, postgresPort, false);
        int linkPort = FaultSystem.freePort();
        reactor = new NioReactor();
        link = link(linkPort, postgresPort);
        int commandSideKafkaPort = FaultSystem.freePort();
        int querySideKafkaPort = FaultSystem.freePort();
        kafka = KafkaBrokerProcesses.behindLinks(
                Map.of("COMMANDSIDE", commandSideKafkaPort, "QUERYSIDE", querySideKafkaPort));
        commandSideKafkaLink = link(commandSideKafkaPort, kafka.listenerPort("COMMANDSIDE"));
        querySideKafkaLink = link(querySideKafkaPort, kafka.listenerPort("QUERYSIDE"));
        String direct = postgres.jdbcUrl();
        String throughLink = direct.replace(":" + postgresPort + "/", ":" + linkPort + "/");
        system = FaultSystem.named("outages")
                .database(throughLink, direct)
                .kafka("127.0.0.1:" + commandSideKafkaPort, "127.0.0.1:" + querySideKafkaPort, kafka.bootstrap())
                .build()
                .start();
    }

    private static TcpCrusher link(int port, int target) {
        return TcpCrusherBuilder.builder()
                .withReactor(reactor)
                .withBindAddress("127.0.0.1", port)
                .withConnectAddress("127.0.0.1", target)
                .buildAndOpen();
    }

    @AfterAll
    static void stop() throws IOException {
        if (system != null) {
            system.close();
        }
        for (TcpCrusher crusher : Arrays.asList(link, commandSideKafkaLink, querySideKafkaLink)) {
            if (crusher != null) {
                crusher.close();
            }
        }
        if (reactor != null) {
            reactor.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * Kafka clients reconnect to the address the broker advertises; both sides' links are that address, so
     * freezing them cuts the publisher's producer and the projector's consumer whatever they reconnect to.
     */
    @Test
    void frozenKafkaLinksDelayPublishingAndProjectionButNotCommands() throws Exception {
        Ledger ledger = new Ledger("kafka-links");
        RetryingClient client = new RetryingClient(system, ledger, Duration.ofMinutes(5));
        String observed = "kl-observer-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> tenants = IntStream.range(0, FaultScale.pick(4, 20))
                .mapToObj(i -> "kl-" + UUID.randomUUID().toString().substring(0, 6))
                .toList();
        int workers = 4;
        int perWorker = FaultScale.pick(40, 250);
        long storedBefore;
        long storedDuring;
        int healthDuring;
        List<Answer> commandsDuring;
        List<Answer> readsDuring;
        try (CommandStream stream =
                        new CommandStream(system, client, tenants, workers, perWorker, 4, FaultScale.seed()).start();
                Observer observer = new Observer(system)) {
            stream.awaitAnswered(workers * perWorker / 4);
            observer.start(observed);
            observer.awaitAccepted(Duration.ofMinutes(1));

            int commandsAt = observer.commands.size();
            int readsAt = observer.reads.size();
            int healthAt = observer.health.size();
            commandSideKafkaLink.freeze();
            querySideKafkaLink.freeze();
            System.out.println("[faults] app<->Kafka links frozen (command side and query side)");
            // What was on its way when the links froze (a fetched batch being projected) has settled after 3 s.
            Pause.lasting(SETTLE);
            storedBefore = count("command_side.domain_event_entry");
            long publishedBefore = publishedRecords();
            long projectedBefore = count("query_side.event_log");
            Pause.lasting(KAFKA_FROZEN.minus(SETTLE));
            storedDuring = count("command_side.domain_event_entry") - storedBefore;
            long publishedDuring = publishedRecords() - publishedBefore;
            long projectedDuring = count("query_side.event_log") - projectedBefore;
            commandsDuring = List.copyOf(observer.commands.subList(commandsAt, observer.commands.size()));
            readsDuring = List.copyOf(observer.reads.subList(readsAt, observer.reads.size()));
            List<String> health = List.copyOf(observer.health.subList(healthAt, observer.health.size()));
            healthDuring = health.size();
            commandSideKafkaLink.unfreeze();
            querySideKafkaLink.unfreeze();
            System.out.println("[faults] app<->Kafka links unfrozen after " + KAFKA_FROZEN.toSeconds() + " s");

            Map<String, Integer> commandsSeen = new TreeMap<>();
            commandsDuring.forEach(a -> commandsSeen.merge(describe(a), 1, Integer::sum));
            Map<String, Integer> readsSeen = new TreeMap<>();
            readsDuring.forEach(a -> readsSeen.merge(describe(a), 1, Integer::sum));
            Map<String, Integer> healthSeen = new TreeMap<>();
            health.forEach(h -> healthSeen.merge(h, 1, Integer::sum));
            System.out.println("[faults] Kafka links frozen " + KAFKA_FROZEN.toSeconds() + " s: commands without retry"
                    + " answered " + commandsSeen + "; reads " + readsSeen + "; health " + healthSeen + "; "
                    + storedDuring + " events stored, " + publishedDuring + " published, " + projectedDuring
                    + " projected meanwhile");
            assertThat(publishedDuring)
                    .as("nothing reached Kafka through the frozen link")
                    .isZero();
            assertThat(projectedDuring)
                    .as("nothing was projected through the frozen link")
                    .isZero();
            assertThat(commandsSeen.keySet())
                    .as("commands accepted during the freeze")
                    .containsOnly("202");
            assertThat(readsSeen.keySet())
                    .as("reads answered during the freeze")
                    .containsOnly("200");
            assertThat(healthSeen.keySet())
                    .as("health answered during the freeze")
                    .containsOnly("200");
            assertThat(storedDuring).as("events stored during the freeze").isPositive();

            observer.close();
            stream.finish();
            observer.enterAccepted(ledger, observed);
        }
        assertThat(healthDuring).isPositive();
        Ledger.Report report = ledger.check(system, Duration.ofMinutes(3));
        assertThat(report.problems()).isEmpty();
        assertThat(report.total().unresolved()).isZero();
        assertThat(report.total().serverErrors())
                .as("no 5xx: Kafka is not on the command path")
                .isZero();
    }

    private static String describe(Answer answer) {
        return answer.status() < 0
                ? "no answer"
                : answer.status() + (answer.errorCode().isEmpty() ? "" : " " + answer.errorCode());
    }

    private static long count(String table) throws Exception {
        try (Connection db = system.database();
                PreparedStatement count = db.prepareStatement("SELECT count(*) FROM " + table);
                ResultSet row = count.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Records on {@code tessera.events}, read on the broker's own listener (not through a link). */
    private static long publishedRecords() {
        try (KafkaConsumer<String, String> consumer = system.consumerFromStart(Topics.EVENTS)) {
            return consumer.endOffsets(consumer.assignment()).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
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
        Observer observer = new Observer(system);
        try (CommandStream stream =
                new CommandStream(system, client, tenants, workers, perWorker, 4, FaultScale.seed()).start()) {
            stream.awaitAnswered(workers * perWorker / 5);
            observer.start(observed);

            stopPostgresImmediately();
            Pause.lasting(STOPPED);
            postgres = LocalPostgres.start(dataDirectory, postgresPort, false);
            System.out.println("[faults] PostgreSQL restarted after " + STOPPED.toSeconds() + " s");
            observer.awaitAccepted(Duration.ofMinutes(3));

            link.freeze();
            System.out.println("[faults] app<->PostgreSQL link frozen");
            Pause.lasting(FROZEN);
            link.unfreeze();
            System.out.println("[faults] app<->PostgreSQL link unfrozen after " + FROZEN.toSeconds() + " s");
            observer.awaitAccepted(Duration.ofMinutes(3));
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
        Duration slowestHealth =
                observer.healthTimes.stream().max(Duration::compareTo).orElse(Duration.ZERO);
        System.out.println("[faults] database outage: commands without retry answered " + seen + "; health "
                + healthSeen + ", the slowest in " + slowestHealth.toMillis() + " ms");
        assertThat(unclean).as("only clean 503 UNAVAILABLE, no SQL").isEmpty();
        assertThat(seen).containsKey("503 UNAVAILABLE");
        assertThat(healthSeen.keySet()).as("health always answered").noneMatch(h -> h.startsWith("no answer"));
        // The database check answers DOWN within its 2 s bound; before it had one, health waited out the freeze.
        assertThat(slowestHealth).as("health answered within a bound").isLessThan(FROZEN.dividedBy(3));
        assertThat(healthSeen)
                .as("health said DOWN while the database was away")
                .containsKey("503");

        observer.enterAccepted(ledger, observed);
        Ledger.Report report = ledger.check(system, Duration.ofMinutes(3));
        assertThat(report.problems()).isEmpty();
        assertThat(report.total().unresolved()).isZero();
    }

    private static boolean mentionsSql(String body) {
        String text = body == null ? "" : body.toLowerCase(Locale.ROOT);
        return List.of("select ", "insert ", "update ", "sql", "postgres", "jdbc", "hikari", "exception").stream()
                .anyMatch(text::contains);
    }

    /** SIGQUIT to the postmaster is PostgreSQL's immediate shutdown (what pg_ctl stop -m immediate sends). */
    private static void stopPostgresImmediately() throws Exception {
        String pid = Files.readAllLines(dataDirectory.resolve("postmaster.pid"))
                .get(0)
                .trim();
        Process kill = new ProcessBuilder("kill", "-QUIT", pid).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(pid)).orElse(null);
        if (postmaster != null) {
            await("the postmaster gone")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !postmaster.isAlive());
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
