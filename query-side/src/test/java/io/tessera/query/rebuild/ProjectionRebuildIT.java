package io.tessera.query.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.events.EventCatalog;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentDeleted;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.deployment.DeploymentUrlChanged;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.user.Role;
import io.tessera.events.workflow.WorkflowConfigChanged;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowDeleted;
import io.tessera.events.workflow.WorkflowRenamed;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.events.workflow.WorkflowStatusChanged;
import io.tessera.query.QuerySideIntegrationTest;
import io.tessera.query.TestEvents;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Rebuilds of read tables on the real database and consumer, through the admin API: under continuous query
 * load and live events, for one tenant alone, and the replay rate beside a raw JDBC baseline. The query cache is
 * off, so every query reads the tables being swapped.
 */
@QuerySideIntegrationTest
@TestPropertySource(properties = "tessera.cache.enabled=false")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectionRebuildIT {

    /** The consumer of a machine shared by several builds can take minutes for a thousand events. */
    private static final Duration PATIENCE = Duration.ofMinutes(5);
    /** A full rebuild replays the whole log of the test JVM; on a loaded machine that takes minutes. */
    private static final Duration REBUILD_PATIENCE = Duration.ofMinutes(10);

    private static final Instant BASE = Instant.parse("2026-02-01T00:00:00Z");

    @LocalServerPort
    int port;

    private final JdbcClient jdbc = TestEvents.admin();

    private final DataSource dataSource = TestEvents.adminDataSource();

    @Autowired
    ProjectionRebuilds rebuilds;

    private TestEvents events;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestEvents.infrastructure(registry);
    }

    @BeforeEach
    void producer() {
        events = new TestEvents(port);
    }

    @AfterEach
    void close() {
        events.close();
    }

    @Test
    void rebuildUnderQueryLoadAnswersEveryQueryConsistentlyAndLosesNoLiveEvent() throws Exception {
        String tenant = TestEvents.newTenant();
        int seeded = 600;
        int live = 100;
        events.publish(tenant, tenant, 0, BASE, new TenantCreated(tenant, tenant, tenant, null));
        for (int i = 0; i < seeded; i++) {
            createDeployment(tenant, "dep-" + i, "project " + i, BASE.plusSeconds(i));
            if (i % 3 == 0) {
                events.publish(
                        tenant,
                        "dep-" + i,
                        1,
                        BASE.plusSeconds(i),
                        new DeploymentStatusChanged(
                                tenant, "dep-" + i, DeploymentStatus.PENDING, DeploymentStatus.BUILDING));
            }
        }
        events.publish(
                tenant,
                "wf-1",
                0,
                BASE,
                new WorkflowCreated(tenant, "wf-1", "flow", Map.of("k", 1), WorkflowStatus.DRAFT));
        events.flush();
        String viewer = TestEvents.token(tenant, Role.VIEWER);
        await().atMost(PATIENCE).until(() -> total(viewer), total -> total == seeded);
        await().atMost(PATIENCE)
                .until(
                        () -> events.get(viewer, "/api/deployments?per_page=1&status=building")
                                .body()
                                .at("/pagination/total")
                                .asLong(),
                        building -> building == seeded / 3);
        await().atMost(PATIENCE)
                .until(() -> events.get(viewer, "/api/workflows/wf-1").status() == 200);
        // A projection bug that touched one row; the rebuild from the log repairs it.
        jdbc.sql("UPDATE query_side.deployments SET project_name = 'CORRUPTED' WHERE tenant_id = :t AND id = 'dep-0'")
                .param("t", tenant)
                .update();

        AtomicBoolean stop = new AtomicBoolean();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong queries = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            readers.add(pool.submit(() -> read(tenant, viewer, seeded, live, stop, failures, queries)));
        }
        Future<?> writer = pool.submit(() -> {
            for (int i = seeded; i < seeded + live; i++) {
                createDeployment(tenant, "dep-" + i, "project " + i, BASE.plusSeconds(i));
                if (i % 20 == 0) {
                    events.flush();
                    pause(Duration.ofMillis(25));
                }
            }
            events.flush();
            return null;
        });

        String admin = TestEvents.platformAdmin();
        TestEvents.Answer started = events.post(admin, "/api/admin/projections/deployments/rebuild");
        assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
        assertThat(events.post(admin, "/api/admin/projections/deployments/rebuild")
                        .status())
                .isIn(409, 202); // 202 only if the first finished already
        JsonNode done = awaitRebuild(admin, "deployments");
        writer.get(60, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> total(viewer), total -> total == seeded + live);
        // Keep reading a little after the switch, then stop.
        long after = queries.get();
        await().atMost(PATIENCE).until(() -> queries.get() > after + 30);
        stop.set(true);
        for (Future<?> reader : readers) {
            reader.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        System.out.printf(
                "Rebuild under load: %d queries, %d failed; rebuild replayed %d events at %.0f events/s%n",
                queries.get(),
                failures.size(),
                done.path("events_replayed").asLong(),
                done.path("events_per_second").asDouble());
        assertThat(failures).as("failed or inconsistent answers").isEmpty();
        assertThat(queries.get()).isGreaterThan(50);
        assertThat(done.path("state").asString()).isEqualTo("done");
        assertThat(events.get(viewer, "/api/deployments/dep-0")
                        .data()
                        .path("project_name")
                        .asString())
                .isEqualTo("project 0");
        assertThat(events.get(viewer, "/api/deployments/dep-3")
                        .data()
                        .path("status")
                        .asString())
                .isEqualTo("building");
        JsonNode stats = events.get(viewer, "/api/tenants/" + tenant + "/stats").data();
        assertThat(stats.path("deployments").path("total").asLong()).isEqualTo(seeded + live);
        assertThat(events.get(viewer, "/api/workflows/wf-1").status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'query_side_rebuild_%'")
                        .query(Long.class)
                        .single())
                .isZero();
        // The swapped-in table is the live one in every respect: its indexes, policies and grants.
        assertThat(jdbc.sql("SELECT indexname FROM pg_indexes WHERE schemaname = 'query_side'"
                                + " AND tablename = 'deployments'")
                        .query(String.class)
                        .list())
                .contains("deployments_pkey", "deployments_by_created", "deployments_by_status");
        assertThat(jdbc.sql("SELECT policyname FROM pg_policies WHERE schemaname = 'query_side'"
                                + " AND tablename = 'deployments'")
                        .query(String.class)
                        .list())
                .containsExactlyInAnyOrder("tenant_reads", "projector_writes");
        assertThat(jdbc.sql("SELECT relrowsecurity FROM pg_class WHERE oid = 'query_side.deployments'::regclass")
                        .query(Boolean.class)
                        .single())
                .isTrue();
        assertThat(events.get(TestEvents.token(TestEvents.newTenant(), Role.VIEWER), "/api/deployments")
                        .body()
                        .at("/pagination/total")
                        .asLong())
                .isZero();
    }

    @Test
    void rebuildingOneTenantReplacesItsRowsAndWritesNoRowOfAnother() {
        String tenant = TestEvents.newTenant();
        String other = TestEvents.newTenant();
        for (String t : List.of(tenant, other)) {
            for (int i = 0; i < 50; i++) {
                createDeployment(t, "dep-" + i, "project " + i, BASE.plusSeconds(i));
            }
        }
        events.flush();
        await().atMost(PATIENCE).until(() -> total(TestEvents.token(tenant, Role.VIEWER)) == 50);
        await().atMost(PATIENCE).until(() -> total(TestEvents.token(other, Role.VIEWER)) == 50);
        for (String t : List.of(tenant, other)) {
            jdbc.sql("UPDATE query_side.deployments SET project_name = 'CORRUPTED'"
                            + " WHERE tenant_id = :t AND id = 'dep-7'")
                    .param("t", t)
                    .update();
        }
        List<String> otherRowsBefore = rowVersions(other);

        String admin = TestEvents.platformAdmin();
        assertThat(events.post(admin, "/api/admin/projections/deployments/rebuild?tenant=Not_A_Tenant!")
                        .status())
                .isEqualTo(400);
        TestEvents.Answer started = events.post(admin, "/api/admin/projections/deployments/rebuild?tenant=" + tenant);
        assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
        JsonNode done = awaitRebuild(admin, "deployments");

        assertThat(done.path("tenant_id").asString()).isEqualTo(tenant);
        assertThat(done.path("events_replayed").asLong()).isEqualTo(50);
        assertThat(projectName(tenant, "dep-7")).isEqualTo("project 7");
        assertThat(projectName(other, "dep-7")).isEqualTo("CORRUPTED");
        // Not one row of the other tenant was written: the same tuple versions (xmin) at the same places (ctid).
        assertThat(rowVersions(other)).isEqualTo(otherRowsBefore);
    }

    /**
     * A rebuild folds each chunk in memory ({@code ReadTableProjection.applyAll}); it must leave exactly the rows
     * and counters that the live projection built one event at a time: creations, status and URL changes,
     * deletions, and stale events (an old sequence again: the log keeps the first) in a seeded random order.
     */
    @Test
    void aRebuildFoldsTheLogIntoExactlyTheRowsAndCountersTheLiveProjectionBuilt() {
        long seed = System.nanoTime();
        System.out.println("aRebuildFoldsTheLog... seed " + seed);
        Random random = new Random(seed);
        String tenant = TestEvents.newTenant();
        DeploymentStatus[] statuses = DeploymentStatus.values();
        int deployments = 80;
        long[] next = new long[deployments];
        boolean[] deleted = new boolean[deployments];
        int logged = 0;
        for (int i = 0; i < deployments; i++) {
            createDeployment(tenant, "dep-" + i, "project " + i, BASE.plusSeconds(i));
            logged++;
            next[i] = 1;
        }
        for (int n = 0; n < 400; n++) {
            int i = random.nextInt(deployments);
            String id = "dep-" + i;
            Instant time = BASE.plusSeconds(1000 + n);
            int kind = random.nextInt(10);
            long sequence = kind == 0 ? random.nextInt((int) next[i]) : next[i]++;
            Object event;
            if (kind < 6) {
                event = new DeploymentStatusChanged(
                        tenant, id, DeploymentStatus.PENDING, statuses[random.nextInt(statuses.length)]);
            } else if (kind < 9 || deleted[i]) {
                event = new DeploymentUrlChanged(tenant, id, "https://" + id + ".example/" + n);
            } else {
                event = new DeploymentDeleted(tenant, id, DeploymentStatus.PENDING);
                deleted[i] = true;
            }
            events.publish(tenant, id, sequence, time, event);
            logged += kind == 0 ? 0 : 1;
        }
        events.flush();
        assertTheRebuildLeavesWhatTheLiveProjectionBuilt(
                tenant,
                logged,
                "deployments",
                "id, project_name, status, url, created_at, updated_at, deleted_at, version",
                "project_name = 'CORRUPTED'",
                seed);
    }

    /**
     * The workflows' rebuild folds its chunks by the same rules ({@code ReadTableProjection.applyAll}): it must
     * leave exactly the rows and counters the live projection built from creations, status changes, renames,
     * configuration changes, deletions and stale events in a seeded random order.
     */
    @Test
    void aWorkflowsRebuildFoldsTheLogIntoExactlyTheRowsAndCountersTheLiveProjectionBuilt() {
        long seed = System.nanoTime();
        System.out.println("aWorkflowsRebuildFoldsTheLog... seed " + seed);
        Random random = new Random(seed);
        String tenant = TestEvents.newTenant();
        WorkflowStatus[] statuses = WorkflowStatus.values();
        int workflows = 60;
        long[] next = new long[workflows];
        boolean[] deleted = new boolean[workflows];
        int logged = 0;
        for (int i = 0; i < workflows; i++) {
            String id = "wf-" + i;
            events.publish(
                    tenant,
                    id,
                    0,
                    BASE.plusSeconds(i),
                    new WorkflowCreated(tenant, id, "flow " + i, Map.of("step", i), WorkflowStatus.DRAFT));
            logged++;
            next[i] = 1;
        }
        for (int n = 0; n < 300; n++) {
            int i = random.nextInt(workflows);
            String id = "wf-" + i;
            Instant time = BASE.plusSeconds(1000 + n);
            int kind = random.nextInt(10);
            long sequence = kind == 0 ? random.nextInt((int) next[i]) : next[i]++;
            Object event;
            if (kind < 4) {
                event = new WorkflowStatusChanged(
                        tenant, id, WorkflowStatus.DRAFT, statuses[random.nextInt(statuses.length)]);
            } else if (kind < 6) {
                event = new WorkflowRenamed(tenant, id, "flow " + i + " renamed " + n);
            } else if (kind < 9 || deleted[i]) {
                event = new WorkflowConfigChanged(tenant, id, Map.of("step", n, "nested", Map.of("k", "v" + n)));
            } else {
                event = new WorkflowDeleted(tenant, id, WorkflowStatus.DRAFT);
                deleted[i] = true;
            }
            events.publish(tenant, id, sequence, time, event);
            logged += kind == 0 ? 0 : 1;
        }
        events.flush();
        assertTheRebuildLeavesWhatTheLiveProjectionBuilt(
                tenant,
                logged,
                "workflows",
                "id, name, status, config::text, created_at, updated_at, deleted_at, version",
                "name = 'CORRUPTED', config = '{}'",
                seed);
    }

    /**
     * Once the live projection has applied the tenant's {@code logged} events: the table's rows corrupted by
     * {@code corruption}, then rebuilt for the tenant, are again the rows and counters the live projection built.
     */
    private void assertTheRebuildLeavesWhatTheLiveProjectionBuilt(
            String tenant, long logged, String table, String columns, String corruption, long seed) {
        await().atMost(PATIENCE)
                .until(() -> jdbc.sql("SELECT count(*) FROM query_side.event_log WHERE tenant_id = :t")
                                .param("t", tenant)
                                .query(Long.class)
                                .single()
                        == logged);
        List<String> rowsLive = rows(tenant, table, columns);
        List<String> countersLive = counters(tenant);
        jdbc.sql("UPDATE query_side." + table + " SET " + corruption + " WHERE tenant_id = :t")
                .param("t", tenant)
                .update();

        ProjectionRebuilds.Start run = rebuilds.run(table, tenant);

        assertThat(((ProjectionRebuilds.Started) run).status().state()).isEqualTo(RebuildStatus.DONE);
        assertThat(rows(tenant, table, columns)).as("seed %d", seed).isEqualTo(rowsLive);
        assertThat(counters(tenant)).as("seed %d", seed).isEqualTo(countersLive);
    }

    private List<String> rows(String tenant, String table, String columns) {
        return jdbc.sql("SELECT concat_ws('|', " + columns + ") FROM query_side." + table
                        + " WHERE tenant_id = :t ORDER BY id")
                .param("t", tenant)
                .query(String.class)
                .list();
    }

    /** The tenant's counters of every kind: a test's tenant has rows of one kind only. */
    private List<String> counters(String tenant) {
        return jdbc.sql("SELECT concat_ws('|', kind, status, count, updated_at) FROM query_side.tenant_stats"
                        + " WHERE tenant_id = :t ORDER BY kind, status")
                .param("t", tenant)
                .query(String.class)
                .list();
    }

    @Test
    void unknownProjectionsAreNotFoundAndOnlyPlatformAdminsMayRebuild() {
        String admin = TestEvents.platformAdmin();
        assertThat(events.get(admin, "/api/admin/projections/nothing").status()).isEqualTo(404);
        assertThat(events.post(admin, "/api/admin/projections/nothing/rebuild").status())
                .isEqualTo(404);
        String tenantAdmin = TestEvents.token(TestEvents.newTenant(), Role.ADMIN);
        assertThat(events.post(tenantAdmin, "/api/admin/projections/deployments/rebuild")
                        .status())
                .isEqualTo(403);
        assertThat(events.get(tenantAdmin, "/api/admin/projections").status()).isEqualTo(403);
        JsonNode all = events.get(admin, "/api/admin/projections").data();
        List<String> names = new ArrayList<>();
        all.forEach(n -> names.add(n.path("name").asString()));
        assertThat(names).containsExactly("deployments", "users", "workflows");
    }

    /**
     * Not a timed assertion: prints the rebuild's replay rate beside a raw sequential read of the same events
     * from event_log and a batched insert of them into a scratch table, on the same machine in the same run.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void replayRateBesideARawReadAndInsertBaseline() throws SQLException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String tenant = TestEvents.newTenant();
        int deployments = 5_000;
        int total = seedLog(tenant, deployments, random);

        Instant start = Instant.now();
        ProjectionRebuilds.Start run = rebuilds.run("deployments", tenant);
        Duration rebuildTime = Duration.between(start, Instant.now());
        RebuildStatus status = ((ProjectionRebuilds.Started) run).status();
        assertThat(status.state()).isEqualTo(RebuildStatus.DONE);
        assertThat(status.eventsReplayed()).isEqualTo(total);

        Duration baselineTime = rawBaseline(tenant);

        double rebuildRate = total / seconds(rebuildTime);
        double baselineRate = total / seconds(baselineTime);
        System.out.printf(
                "%nReplay rate (seed %d, %d events of one tenant: %d deployments created, the rest status changes)%n",
                seed, total, deployments);
        System.out.printf(
                "  rebuild of one tenant (shadow, projection, switch): %8.0f events/s (%d ms)%n",
                rebuildRate, rebuildTime.toMillis());
        System.out.printf(
                "  raw JDBC read of event_log + batched insert:        %8.0f events/s (%d ms)%n",
                baselineRate, baselineTime.toMillis());
        System.out.printf("  rebuild / baseline: %.2f%n", rebuildRate / baselineRate);
        assertThat(total(TestEvents.token(tenant, Role.VIEWER))).isEqualTo(deployments);
    }

    private int seedLog(String tenant, int deployments, Random random) throws SQLException {
        int count = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO query_side.event_log
                        (tenant_id, position, event_id, type, subject, sequence, time, actor, command_id, data)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'benchmark', ?, CAST(? AS jsonb))
                    """)) {
                for (int i = 0; i < deployments; i++) {
                    String id = "dep-" + i;
                    Instant time = BASE.plusSeconds(i);
                    add(
                            insert,
                            tenant,
                            id,
                            0,
                            time,
                            new DeploymentCreated(tenant, id, "p" + i, null, DeploymentStatus.PENDING));
                    count++;
                    int changes = random.nextInt(3);
                    DeploymentStatus from = DeploymentStatus.PENDING;
                    for (int c = 1; c <= changes; c++) {
                        DeploymentStatus to = c == 1 ? DeploymentStatus.BUILDING : DeploymentStatus.ACTIVE;
                        add(
                                insert,
                                tenant,
                                id,
                                c,
                                time.plusMillis(c),
                                new DeploymentStatusChanged(tenant, id, from, to));
                        from = to;
                        count++;
                    }
                    if (count % 1000 < 3) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            connection.commit();
        }
        return count;
    }

    private static void add(
            PreparedStatement insert, String tenant, String subject, long sequence, Instant time, Object event)
            throws SQLException {
        insert.setString(1, tenant);
        insert.setLong(2, TestEvents.nextPosition());
        insert.setString(3, UUID.randomUUID().toString());
        insert.setString(4, EventCatalog.typeOf(event.getClass()));
        insert.setString(5, subject);
        insert.setLong(6, sequence);
        insert.setTimestamp(7, Timestamp.from(time));
        insert.setString(8, UUID.randomUUID().toString());
        insert.setString(9, TestEvents.JSON.writeValueAsString(event));
        insert.addBatch();
    }

    /** The floor: read the tenant's log in order, insert every event into a scratch table in batches of 1000. */
    private Duration rawBaseline(String tenant) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("CREATE TEMP TABLE replay_baseline (tenant_id text, id text, sequence bigint,"
                        + " type text, time timestamptz, data jsonb)");
            }
            connection.setAutoCommit(false);
            Instant start = Instant.now();
            try (PreparedStatement read = connection.prepareStatement(
                            "SELECT tenant_id, subject, sequence, type, time, CAST(data AS text) FROM query_side.event_log"
                                    + " WHERE tenant_id = ? ORDER BY tenant_id, position");
                    PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO replay_baseline VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb))")) {
                read.setFetchSize(1000);
                read.setString(1, tenant);
                int pending = 0;
                try (ResultSet rows = read.executeQuery()) {
                    while (rows.next()) {
                        insert.setString(1, rows.getString(1));
                        insert.setString(2, rows.getString(2));
                        insert.setLong(3, rows.getLong(3));
                        insert.setString(4, rows.getString(4));
                        insert.setTimestamp(5, rows.getTimestamp(5));
                        insert.setString(6, rows.getString(6));
                        insert.addBatch();
                        if (++pending == 1000) {
                            insert.executeBatch();
                            pending = 0;
                        }
                    }
                }
                insert.executeBatch();
            }
            connection.commit();
            Duration time = Duration.between(start, Instant.now());
            connection.setAutoCommit(true);
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("DROP TABLE replay_baseline");
            }
            return time;
        }
    }

    private static double seconds(Duration duration) {
        return Math.max(1, duration.toNanos() / 1000) / 1e6;
    }

    /** One reader: every answer 200, totals within bounds and never going back, a repaired row never un-repaired. */
    private Void read(
            String tenant,
            String viewer,
            int seeded,
            int live,
            AtomicBoolean stop,
            Queue<String> failures,
            AtomicLong queries) {
        long min = seeded;
        long max = seeded + live;
        int building = seeded / 3;
        long lastTotal = min;
        long lastStats = min;
        boolean repaired = false;
        int i = 0;
        while (!stop.get()) {
            i++;
            TestEvents.Answer list = events.get(viewer, "/api/deployments?per_page=20&status=building");
            TestEvents.Answer all = events.get(viewer, "/api/deployments?per_page=5");
            TestEvents.Answer one = events.get(viewer, "/api/deployments/dep-" + (3 * (i % building)));
            TestEvents.Answer first = events.get(viewer, "/api/deployments/dep-0");
            TestEvents.Answer stats = events.get(viewer, "/api/tenants/" + tenant + "/stats");
            queries.addAndGet(5);
            for (TestEvents.Answer answer : List.of(list, all, one, first, stats)) {
                if (answer.status() != 200 || !answer.body().path("success").asBoolean()) {
                    failures.add(answer.status() + " " + answer.body());
                }
            }
            if (failures.size() > 0) {
                continue;
            }
            long total = all.body().at("/pagination/total").asLong();
            if (total < lastTotal || total > max) {
                failures.add("deployments total " + total + " after " + lastTotal);
            }
            lastTotal = total;
            if (list.body().at("/pagination/total").asLong() != building) {
                failures.add(
                        "building total " + list.body().at("/pagination/total").asLong());
            }
            if (!one.data().path("status").asString().equals("building")) {
                failures.add("dep-" + (3 * (i % building)) + " is " + one.data());
            }
            String name = first.data().path("project_name").asString();
            if (name.equals("project 0")) {
                repaired = true;
            } else if (repaired || !name.equals("CORRUPTED")) {
                failures.add("dep-0 named " + name + (repaired ? " after its repair" : ""));
            }
            long counted = stats.data().path("deployments").path("total").asLong();
            if (counted < lastStats || counted > max) {
                failures.add("stats total " + counted + " after " + lastStats);
            }
            lastStats = counted;
        }
        return null;
    }

    private JsonNode awaitRebuild(String admin, String name) {
        AtomicReference<String> shown = new AtomicReference<>("");
        return await().atMost(REBUILD_PATIENCE)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            JsonNode status = events.get(admin, "/api/admin/projections/" + name)
                                    .data();
                            String line = "rebuild " + name + ": "
                                    + status.path("state").asString() + " "
                                    + status.path("events_replayed").asLong() + "/"
                                    + status.path("events_total").asLong();
                            if (!line.equals(shown.getAndSet(line))) {
                                System.out.println(line);
                            }
                            return status;
                        },
                        status -> status.path("state").asString().equals("done")
                                || status.path("state").asString().equals("failed"));
    }

    private void createDeployment(String tenant, String id, String name, Instant time) {
        events.publish(tenant, id, 0, time, new DeploymentCreated(tenant, id, name, null, DeploymentStatus.PENDING));
    }

    private long total(String viewer) {
        return events.get(viewer, "/api/deployments?per_page=1")
                .body()
                .at("/pagination/total")
                .asLong();
    }

    private String projectName(String tenant, String id) {
        return events.get(TestEvents.token(tenant, Role.VIEWER), "/api/deployments/" + id)
                .data()
                .path("project_name")
                .asString();
    }

    private List<String> rowVersions(String tenant) {
        return jdbc.sql("SELECT id || ':' || xmin || ':' || ctid FROM query_side.deployments WHERE tenant_id = :t"
                        + " ORDER BY id")
                .param("t", tenant)
                .query(String.class)
                .list();
    }

    /** Time is what is awaited here: the writes spread over the rebuild instead of all before it. */
    private static void pause(Duration pace) {
        await().pollInSameThread().pollDelay(pace).atMost(pace.plusSeconds(5)).until(() -> true);
    }
}
