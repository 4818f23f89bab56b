package io.tessera.benchmarks.commands;

import io.tessera.benchmarks.load.Call;
import io.tessera.benchmarks.load.ClosedLoop;
import io.tessera.benchmarks.load.Recording;
import io.tessera.benchmarks.report.Results;
import io.tessera.benchmarks.system.Api;
import io.tessera.benchmarks.system.BenchSystem;
import io.tessera.benchmarks.system.Tenants;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * S2 and the first half of S3. At 1, 4 and 16 concurrent clients: creations and status changes through
 * {@code POST}/{@code PATCH /api/deployments} (each client creates one, moves it to building, creates the
 * next...), beside a raw single-row INSERT with one commit per transaction at the same concurrency. While the
 * commands run, one more client measures the projection lag: a creation's 202, then a
 * {@code GET /api/deployments/{id}} with {@code X-Min-Position}, which the query side holds until the read
 * model has applied that position.
 */
public final class CommandScenario {

    private final BenchSystem system;
    private final Duration step;
    private final Results results;

    public CommandScenario(BenchSystem system, Duration step, Results results) {
        this.system = system;
        this.step = step;
        this.results = results;
    }

    /** The most commands a second any concurrency reached. */
    public double run(int... concurrencies) throws Exception {
        double best = 0;
        createRawTable();
        Recording lagAll = new Recording("S3 lag under S2, all levels");
        for (int clients : concurrencies) {
            progress("S2 commands with " + clients + " clients...");
            Recording lag = new Recording("lag 202 -> visible in query API");
            AtomicBoolean running = new AtomicBoolean(true);
            Thread probe = new Thread(() -> probeLag(lag, lagAll, running), "bench-lag-probe");
            probe.start();
            Recording api = new ClosedLoop().run("commands create/update (HTTP)", clients, step, this::commandClient);
            running.set(false);
            probe.join();
            progress("S2 raw inserts with " + clients + " clients...");
            Recording raw = new ClosedLoop().run("raw INSERT, commit each", clients, step, this::rawClient);
            best = Math.max(best, api.throughput());
            results.add("S2", api, clients);
            results.add("S2", raw, clients);
            results.add("S3", lag, clients);
            results.ratio(
                    "S2 commands/s / raw commits/s, c=" + clients,
                    raw.throughput() == 0 ? Double.NaN : api.throughput() / raw.throughput(),
                    String.format(java.util.Locale.ROOT, "%.0f / %.0f per second", api.throughput(), raw.throughput()));
        }
        results.ratio(
                "S3 projection lag p95 (ms)",
                lagAll.millisAt(95),
                "202 -> visible through X-Min-Position, " + lagAll.count() + " samples under S2 load (p50 "
                        + String.format(java.util.Locale.ROOT, "%.0f", lagAll.millisAt(50)) + " ms)");
        return best;
    }

    /**
     * S5: one tenant alone, {@code clients} concurrent creations ({@code POST /api/deployments}) on the first
     * tenant: what one tenant's serialised write path takes, whatever the instance count (docs/scaling.md).
     */
    public double oneHotTenant(int clients) throws InterruptedException {
        progress("S5 one tenant, " + clients + " clients creating...");
        Tenants tenants = system.tenants();
        Api api = system.api();
        Recording creations = new ClosedLoop()
                .run(
                        "one tenant: POST deployments",
                        clients,
                        step,
                        () -> () -> Call.ok(api.post(
                                                system.commandUrl() + "/api/deployments",
                                                tenants.editor(0),
                                                "{\"project_name\":\"s5-" + UUID.randomUUID() + "\"}")
                                        .statusCode()
                                == 202));
        results.add("S5", creations, clients);
        results.ratio(
                "S5 one tenant creations/s, c=" + clients,
                creations.throughput(),
                String.format(
                        java.util.Locale.ROOT,
                        "%s alone; p50 %.0f ms, p95 %.0f ms, p99 %.0f ms",
                        tenants.id(0),
                        creations.millisAt(50),
                        creations.millisAt(95),
                        creations.millisAt(99)));
        return creations.throughput();
    }

    private Call commandClient() {
        Tenants tenants = system.tenants();
        Api api = system.api();
        int tenant = ThreadLocalRandom.current().nextInt(tenants.count());
        String[] created = {null};
        return () -> {
            HttpResponse<String> response;
            if (created[0] == null) {
                String body = "{\"project_name\":\"s2-" + UUID.randomUUID() + "\"}";
                response = api.post(system.commandUrl() + "/api/deployments", tenants.editor(tenant), body);
                created[0] =
                        response.statusCode() == 202 ? Api.id(response.body()).orElse(null) : null;
            } else {
                response = api.patch(
                        system.commandUrl() + "/api/deployments/" + created[0],
                        tenants.editor(tenant),
                        "{\"status\":\"building\"}");
                created[0] = null;
            }
            return Call.ok(response.statusCode() == 202);
        };
    }

    private void probeLag(Recording lag, Recording lagAll, AtomicBoolean running) {
        Tenants tenants = system.tenants();
        Api api = system.api();
        while (running.get()) {
            int tenant = ThreadLocalRandom.current().nextInt(tenants.count());
            try {
                HttpResponse<String> accepted = api.post(
                        system.commandUrl() + "/api/deployments",
                        tenants.editor(tenant),
                        "{\"project_name\":\"lag-" + UUID.randomUUID() + "\"}");
                long at = System.nanoTime();
                Optional<String> id = Api.id(accepted.body());
                Optional<Long> position = Api.position(accepted.body());
                if (accepted.statusCode() != 202 || id.isEmpty() || position.isEmpty()) {
                    lag.error();
                    continue;
                }
                int status;
                do {
                    status = api.getAtLeast(
                                    system.queryUrl() + "/api/deployments/" + id.get(),
                                    tenants.viewer(tenant),
                                    position.get())
                            .statusCode();
                } while (status == 503
                        && System.nanoTime() - at < Duration.ofSeconds(30).toNanos());
                long visible = System.nanoTime() - at;
                if (status == 200) {
                    lag.recordNanos(visible);
                    lagAll.recordNanos(visible);
                } else {
                    lag.error();
                }
            } catch (Exception e) {
                lag.error();
            }
        }
    }

    private void createRawTable() throws SQLException {
        try (Connection db = system.connect();
                Statement statement = db.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS bench_raw");
            statement.execute("CREATE TABLE IF NOT EXISTS bench_raw.commands (id TEXT PRIMARY KEY, tenant_id TEXT NOT"
                    + " NULL, payload JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        }
    }

    private Call rawClient() {
        try {
            Connection db = system.connect();
            PreparedStatement insert = db.prepareStatement(
                    "INSERT INTO bench_raw.commands (id, tenant_id, payload) VALUES (?, ?, CAST(? AS jsonb))");
            Tenants tenants = system.tenants();
            return new Call() {
                @Override
                public Outcome call() throws SQLException {
                    String id = UUID.randomUUID().toString();
                    insert.setString(1, id);
                    insert.setString(2, tenants.id(ThreadLocalRandom.current().nextInt(tenants.count())));
                    insert.setString(3, "{\"project_name\":\"raw-" + id + "\"}");
                    return Call.ok(insert.executeUpdate() == 1);
                }

                @Override
                public void close() throws SQLException {
                    db.close();
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void progress(String text) {
        System.err.println("... " + text);
    }
}
