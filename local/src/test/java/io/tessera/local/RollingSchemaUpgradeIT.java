package io.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.user.Role;
import io.tessera.infra.runtime.LocalInfrastructure;
import io.tessera.infra.security.TokenIssuer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expand and backfill steps of docs/schema-evolution.md on a running system: while readers query the
 * deployments list and single deployments and a writer keeps creating and changing deployments (so the
 * old projection code writes the table throughout), an expand migration adds a column with a trigger,
 * a batched backfill fills it, a second migration builds its index concurrently. Every query answers 200,
 * and at the end every row, old or written meanwhile, has the new column right.
 */
class RollingSchemaUpgradeIT {

    private static final String TENANT =
            "evolve-" + UUID.randomUUID().toString().substring(0, 8);
    private static final long SEED = System.nanoTime();
    private static final int SEEDED = 300;

    @TempDir
    static Path home;

    private static LocalInfrastructure infrastructure;
    private static LocalRun run;
    private static TokenIssuer tokens;

    @BeforeAll
    static void startTheSystem() {
        infrastructure = LocalInfrastructure.shared();
        LocalRunSettings settings = TestRuns.onSharedInfrastructure(home);
        run = new LocalRun(settings, notice -> {}).start();
        tokens = settings.jwtSecret().tokenIssuer(Map.of());
    }

    @AfterAll
    static void undoTheExampleAndStop() throws SQLException {
        // The embedded database is shared by the other ITs of this JVM: leave the read table as it was.
        try (Connection connection = database();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP INDEX IF EXISTS query_side.deployments_by_project_key");
            statement.execute("DROP TRIGGER IF EXISTS deployments_project_key ON query_side.deployments");
            statement.execute("DROP FUNCTION IF EXISTS query_side.deployments_project_key()");
            statement.execute("ALTER TABLE query_side.deployments DROP COLUMN IF EXISTS project_key");
            statement.execute("DROP TABLE IF EXISTS query_side.evolution_example_history");
        }
        if (run != null) {
            run.close();
        }
    }

    @Test
    void aReadTableGetsAColumnAndItsBackfillWhileTheOldCodeKeepsAnswering() throws Exception {
        System.out.println("RollingSchemaUpgradeIT seed " + SEED);
        ApiClient commands = new ApiClient(run.commandSideUrl());
        ApiClient queries = new ApiClient(run.querySideUrl());
        String admin = tokens.issue("it-admin", "platform", Set.of(), Set.of(), true, Duration.ofHours(1));
        ApiClient.Response created =
                commands.send("POST", "/api/tenants", admin, Map.of("id", TENANT, "name", TENANT, "slug", TENANT));
        assertThat(created.status()).as(created.describe()).isEqualTo(202);
        ApiClient.Response quotas = commands.send(
                "PUT",
                "/api/tenants/" + TENANT + "/quotas",
                admin,
                Map.of("deployments_per_hour", 100_000, "workflows_per_hour", 100));
        assertThat(quotas.status()).as(quotas.describe()).isEqualTo(202);
        String editor = tokens.issue("it-editor", TENANT, Set.of(Role.EDITOR), Set.of(), false, Duration.ofHours(1));
        String lastId = null;
        long lastPosition = 0;
        for (int i = 0; i < SEEDED; i++) {
            ApiClient.Response accepted =
                    commands.send("POST", "/api/deployments", editor, Map.of("project_name", "Seeded-Project-" + i));
            assertThat(accepted.status()).as(accepted.describe()).isEqualTo(202);
            lastId = accepted.data().path("id").asString();
            lastPosition = accepted.data().path("position").asLong();
        }
        ApiClient.Response seeded =
                queries.get("/api/deployments/" + lastId, editor, "X-Min-Position", Long.toString(lastPosition));
        assertThat(seeded.status()).as(seeded.describe()).isEqualTo(200);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong answered = new AtomicLong();
        AtomicLong written = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch stopped = new CountDownLatch(3);
        String someId = lastId;
        List<Thread> load = List.of(
                new Thread(() -> read(queries, editor, someId, running, answered, failures, stopped, 1)),
                new Thread(() -> read(queries, editor, someId, running, answered, failures, stopped, 2)),
                new Thread(() -> write(commands, editor, running, written, failures, stopped)));
        load.forEach(Thread::start);
        try {
            // Expand: the column and the trigger, then the index concurrently, by Flyway as a release would.
            Flyway.configure()
                    .dataSource(infrastructure.jdbcUrl(), infrastructure.dbUser(), infrastructure.dbPassword())
                    .schemas("query_side")
                    .defaultSchema("query_side")
                    .table("evolution_example_history")
                    .locations("classpath:db/evolution-example")
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    // Flyway's default lock is an open transaction on a second connection, which CREATE INDEX
                    // CONCURRENTLY then waits for, forever: a session-level lock instead.
                    .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
                    .load()
                    .migrate();
            long backfilled = backfill();
            System.out.println("Backfilled " + backfilled + " rows in batches while " + answered.get()
                    + " queries were answered and " + written.get() + " commands accepted");
            long before = answered.get();
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> answered.get() >= before + 50 && written.get() >= 20 || !failures.isEmpty());
        } finally {
            running.set(false);
            stopped.await();
            for (Thread thread : load) {
                thread.join();
            }
        }

        System.out.println("Queries answered during the upgrade: " + answered.get() + ", commands: " + written.get()
                + ", failures: " + failures.size());
        assertThat(failures).as("every query and command answered").isEmpty();
        assertThat(answered.get()).isPositive();
        // What the new code would read: the column is right for every row, the seeded ones (backfill) and
        // the ones the old code wrote during and after the expand (trigger).
        assertThat(count("SELECT count(*) FROM query_side.deployments WHERE tenant_id = '" + TENANT + "'"))
                .isGreaterThanOrEqualTo(SEEDED + written.get() / 2);
        assertThat(
                        count(
                                "SELECT count(*) FROM query_side.deployments WHERE project_key IS DISTINCT FROM lower(project_name)"))
                .isZero();
        assertThat(count("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                        + " WHERE c.relname = 'deployments_by_project_key' AND i.indisvalid"))
                .isOne();
    }

    /**
     * Backfill: small batches, each its own short transaction, until no row is left. A batch skips the rows a
     * writer holds locked (a status change does not fire the trigger), so it goes on until none is left at all.
     */
    private static long backfill() throws SQLException {
        AtomicLong total = new AtomicLong();
        try (Connection connection = database();
                Statement statement = connection.createStatement()) {
            await().atMost(Duration.ofMinutes(2))
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        int updated;
                        do {
                            updated = statement.executeUpdate("""
                                    UPDATE query_side.deployments d SET project_key = lower(d.project_name)
                                    FROM (SELECT tenant_id, id FROM query_side.deployments WHERE project_key IS NULL
                                          LIMIT 100 FOR UPDATE SKIP LOCKED) batch
                                    WHERE d.tenant_id = batch.tenant_id AND d.id = batch.id
                                    """);
                            total.addAndGet(updated);
                        } while (updated > 0);
                        return count("SELECT count(*) FROM query_side.deployments WHERE project_key IS NULL") == 0;
                    });
        }
        return total.get();
    }

    private static void read(
            ApiClient queries,
            String token,
            String knownId,
            AtomicBoolean running,
            AtomicLong answered,
            ConcurrentLinkedQueue<String> failures,
            CountDownLatch stopped,
            int reader) {
        Random random = new Random(SEED + reader);
        try {
            while (running.get()) {
                String path = switch (random.nextInt(3)) {
                    case 0 -> "/api/deployments?per_page=50&page=" + (1 + random.nextInt(6));
                    case 1 -> "/api/deployments?q=project-" + random.nextInt(300) + "&sort=created_at";
                    default -> "/api/deployments/" + knownId;
                };
                ApiClient.Response answer = queries.get(path, token);
                if (answer.status() == 200) {
                    answered.incrementAndGet();
                } else if (!"RATE_LIMITED".equals(answer.errorCode())) {
                    failures.add("GET " + path + ": " + answer.describe());
                }
                // Paced below the tenant's 1000 requests a minute, so the answers stay answers, not 429s.
                pause(Duration.ofMillis(150));
            }
        } catch (RuntimeException e) {
            failures.add("reader " + reader + ": " + e);
        } finally {
            stopped.countDown();
        }
    }

    private static void write(
            ApiClient commands,
            String token,
            AtomicBoolean running,
            AtomicLong written,
            ConcurrentLinkedQueue<String> failures,
            CountDownLatch stopped) {
        try {
            for (int i = 0; running.get(); i++) {
                ApiClient.Response created =
                        commands.send("POST", "/api/deployments", token, Map.of("project_name", "During-Upgrade-" + i));
                pause(Duration.ofMillis(200));
                if ("RATE_LIMITED".equals(created.errorCode())) {
                    continue;
                }
                if (created.status() != 202) {
                    failures.add("POST /api/deployments: " + created.describe());
                    continue;
                }
                written.incrementAndGet();
                String id = created.data().path("id").asString();
                ApiClient.Response moved =
                        commands.send("PATCH", "/api/deployments/" + id, token, Map.of("status", "building"));
                if (moved.status() != 202 && !"RATE_LIMITED".equals(moved.errorCode())) {
                    failures.add("PATCH /api/deployments: " + moved.describe());
                } else if (moved.status() == 202) {
                    written.incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            failures.add("writer: " + e);
        } finally {
            stopped.countDown();
        }
    }

    /** Time is what is awaited here: the pace of a client. */
    private static void pause(Duration pace) {
        await().pollInSameThread().pollDelay(pace).atMost(pace.plusSeconds(5)).until(() -> true);
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection(
                infrastructure.jdbcUrl(), infrastructure.dbUser(), infrastructure.dbPassword());
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
