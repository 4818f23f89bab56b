package io.tessera.benchmarks.seeding;

import io.tessera.benchmarks.load.Call;
import io.tessera.benchmarks.load.ClosedLoop;
import io.tessera.benchmarks.load.Recording;
import io.tessera.benchmarks.system.BenchSystem;
import io.tessera.benchmarks.system.Tenants;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loads the data set through the command path only: {@code POST /api/tenants} and {@code PUT .../quotas} by a
 * platform admin (the default quota of 100 creations an hour would stop the load), then every deployment and
 * workflow as {@code POST /api/deployments} / {@code POST /api/workflows} with an editor's token, round robin
 * over the tenants so that a load cut short by its time budget leaves every tenant within one row of the
 * others. Then waits until the read model shows them all.
 */
public final class CommandPathLoad {

    private final BenchSystem system;
    private final int concurrency;

    public CommandPathLoad(BenchSystem system, int concurrency) {
        this.system = system;
        this.concurrency = concurrency;
    }

    /** What was loaded and how long it took. */
    public record Loaded(
            int tenants,
            long deployments,
            long workflows,
            long targetDeployments,
            long targetWorkflows,
            Recording tenantCommands,
            Recording creations,
            double visibleAfterSeconds,
            boolean cutByBudget) {

        public String describe() {
            return String.format(
                    Locale.ROOT,
                    "loaded through the command path (HTTP, %d tenants): %d deployments (%.0f a tenant) + %d workflows"
                            + " (%.0f a tenant) in %.1f s = %.0f commands/s; target was %d + %d%s; all visible in the"
                            + " read model %.1f s after the last 202",
                    tenants,
                    deployments,
                    deployments / (double) tenants,
                    workflows,
                    workflows / (double) tenants,
                    creations.wallNanos() / 1e9,
                    creations.throughput(),
                    targetDeployments,
                    targetWorkflows,
                    cutByBudget ? " (CUT SHORT by the load time budget)" : "",
                    visibleAfterSeconds);
        }
    }

    public Loaded load(int deploymentsPerTenant, int workflowsPerTenant, Duration budget) throws Exception {
        Tenants tenants = system.tenants();
        int n = tenants.count();
        Recording tenantCommands = createTenants(tenants);
        long targetDeployments = (long) n * deploymentsPerTenant;
        long targetWorkflows = (long) n * workflowsPerTenant;
        long total = targetDeployments + targetWorkflows;
        AtomicLong next = new AtomicLong();
        AtomicLong deployments = new AtomicLong();
        AtomicLong workflows = new AtomicLong();
        int perTenant = deploymentsPerTenant + workflowsPerTenant;
        progress("loading " + targetDeployments + " deployments + " + targetWorkflows + " workflows through the command"
                + " path, " + concurrency + " concurrent, budget " + budget.toSeconds() + " s...");
        long deadline = System.nanoTime() + budget.toNanos();
        Recording creations = new ClosedLoop()
                .run("load: POST deployments/workflows", concurrency, budget, () -> new Call() {
                    @Override
                    public Outcome call() throws Exception {
                        long i = next.getAndIncrement();
                        if (i >= total) {
                            return Outcome.DONE;
                        }
                        int tenant = (int) (i % n);
                        long round = i / n;
                        // Deployments and workflows interleaved in the ratio asked for, so a cut load keeps it.
                        boolean workflow = perTenant > 0
                                && (round * workflowsPerTenant) / perTenant
                                        != ((round + 1) * workflowsPerTenant) / perTenant;
                        String body = workflow
                                ? "{\"name\":\"flow-" + round + "\",\"config\":{\"steps\":" + (round % 7) + "}}"
                                : "{\"project_name\":\"proj-" + round + "\",\"url\":\"https://p" + round + "."
                                        + tenants.id(tenant) + ".example\"}";
                        String path = workflow ? "/api/workflows" : "/api/deployments";
                        HttpResponse<String> response =
                                system.api().post(system.commandUrl() + path, tenants.editor(tenant), body);
                        if (response.statusCode() != 202) {
                            return Outcome.ERROR;
                        }
                        (workflow ? workflows : deployments).incrementAndGet();
                        return Outcome.OK;
                    }
                });
        boolean cut = next.get() < total && System.nanoTime() >= deadline;
        long lastAccepted = System.nanoTime();
        double visibleAfter = awaitVisible(deployments.get(), workflows.get(), lastAccepted);
        return new Loaded(
                n,
                deployments.get(),
                workflows.get(),
                targetDeployments,
                targetWorkflows,
                tenantCommands,
                creations,
                visibleAfter,
                cut);
    }

    private Recording createTenants(Tenants tenants) throws Exception {
        progress("creating " + tenants.count() + " tenants and lifting their creation quotas...");
        AtomicLong next = new AtomicLong();
        String admin = tenants.admin();
        int n = tenants.count();
        return new ClosedLoop()
                .run("load: POST tenant + PUT quotas", Math.min(concurrency, 16), Duration.ofMinutes(3), () -> () -> {
                    long i = next.getAndIncrement();
                    if (i > n) {
                        return Call.Outcome.DONE;
                    }
                    String id = i == n ? Tenants.NOISY : tenants.id((int) i);
                    String created = "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"slug\":\"" + id + "\"}";
                    if (system.api()
                                    .post(system.commandUrl() + "/api/tenants", admin, created)
                                    .statusCode()
                            != 202) {
                        return Call.Outcome.ERROR;
                    }
                    String quotas = "{\"deployments_per_hour\":1000000,\"workflows_per_hour\":1000000}";
                    return Call.ok(system.api()
                                    .put(system.commandUrl() + "/api/tenants/" + id + "/quotas", admin, quotas)
                                    .statusCode()
                            == 202);
                });
    }

    private double awaitVisible(long deployments, long workflows, long lastAccepted) throws Exception {
        try (Connection db = system.connect();
                Statement statement = db.createStatement()) {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = statement.executeQuery(
                        "SELECT (SELECT count(*) FROM query_side.deployments WHERE tenant_id LIKE 'bench-%'),"
                                + " (SELECT count(*) FROM query_side.workflows WHERE tenant_id LIKE 'bench-%')")) {
                    rs.next();
                    if (rs.getLong(1) >= deployments && rs.getLong(2) >= workflows) {
                        break;
                    }
                }
                Thread.sleep(100);
            }
            statement.execute("VACUUM ANALYZE query_side.deployments");
            statement.execute("VACUUM ANALYZE query_side.workflows");
        }
        return (System.nanoTime() - lastAccepted) / 1e9;
    }

    private static void progress(String text) {
        System.err.println("... " + text);
    }
}
