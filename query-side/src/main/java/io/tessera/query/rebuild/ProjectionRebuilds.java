package io.tessera.query.rebuild;

import io.tessera.query.projection.CloudEventReader;
import io.tessera.query.projection.ProjectionFailures;
import io.tessera.query.tenancy.TenantTransactions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Rebuilds a read table from {@code event_log} while the live one keeps serving, then switches atomically:
 *
 * <ol>
 *   <li>a shadow copy of the table's definition and of {@code tenant_stats} in a schema of its own
 *       ({@link ShadowSchemas});
 *   <li>the log replayed into it through the very projection the live consumer uses: the shadow schema comes
 *       first on the search path, so the projection's {@code deployments} is the shadow's ({@link Replay});
 *   <li>catching up with what the live consumer logged meanwhile, until a round is short;
 *   <li>the switch in one transaction ({@link SwitchOver}).
 * </ol>
 *
 * One tenant alone: the same shadow, filled with that tenant's events only, and a switch that replaces only that
 * tenant's rows. One rebuild per read table at a time, across instances ({@link RebuildJobs}).
 */
@Component
public class ProjectionRebuilds implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);

    private final Map<String, RebuildableProjection> projections = new LinkedHashMap<>();
    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final CloudEventReader reader;
    private final RebuildJobs jobs;
    private final ShadowSchemas shadows;
    private final SwitchOver switchOver;
    private final ExecutorService executor;

    ProjectionRebuilds(
            List<RebuildableProjection> projections,
            JdbcClient jdbc,
            TenantTransactions transactions,
            CloudEventReader reader,
            RebuildJobs jobs,
            ShadowSchemas shadows,
            SwitchOver switchOver) {
        projections.stream()
                .sorted((a, b) -> a.table().compareTo(b.table()))
                .forEach(p -> this.projections.put(TenantTransactions.checkedSchema(p.table()), p));
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.reader = reader;
        this.jobs = jobs;
        this.shadows = shadows;
        this.switchOver = switchOver;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "projection-rebuild-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** What {@link #start} and {@link #run} answer. */
    public sealed interface Start permits Started, Unknown, AlreadyRunning {}

    public record Started(RebuildStatus status) implements Start {}

    public record Unknown() implements Start {}

    public record AlreadyRunning(RebuildStatus status) implements Start {}

    public List<String> names() {
        return List.copyOf(projections.keySet());
    }

    public List<RebuildStatus> statuses() {
        Map<String, RebuildStatus> stored = jobs.stored();
        List<RebuildStatus> all = new ArrayList<>();
        for (String name : projections.keySet()) {
            all.add(stored.getOrDefault(name, RebuildStatus.idle(name)));
        }
        return all;
    }

    public Optional<RebuildStatus> status(String name) {
        if (!projections.containsKey(name)) {
            return Optional.empty();
        }
        return Optional.of(jobs.stored(name).orElse(RebuildStatus.idle(name)));
    }

    /** Claims the table and rebuilds it in the background; {@code tenantId} null: every tenant. */
    public Start start(String name, String tenantId) {
        Start claim = claim(name, tenantId);
        if (claim instanceof Started) {
            executor.execute(() -> rebuild(name, tenantId));
        }
        return claim;
    }

    /** Claims the table and rebuilds it in the calling thread: for tests and benchmarks. */
    public Start run(String name, String tenantId) {
        Start claim = claim(name, tenantId);
        if (claim instanceof Started) {
            rebuild(name, tenantId);
            return new Started(status(name).orElseThrow());
        }
        return claim;
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }

    private Start claim(String name, String tenantId) {
        if (!projections.containsKey(name)) {
            return new Unknown();
        }
        boolean claimed = jobs.claim(name, tenantId);
        RebuildStatus status = status(name).orElseThrow();
        return claimed ? new Started(status) : new AlreadyRunning(status);
    }

    private void rebuild(String name, String tenantId) {
        RebuildableProjection projection = projections.get(name);
        Replay replay = new Replay(jdbc, transactions, reader, name, projection, tenantId);
        try {
            shadows.create(projection.table(), replay.shadow);
            replay.total = replay.countEvents();
            jobs.progress(replay, RebuildStatus.BUILDING);
            while (replay.chunk()) {
                jobs.progress(replay, RebuildStatus.BUILDING);
            }
            jobs.progress(replay, RebuildStatus.CATCHING_UP);
            while (replay.catchUpRound() == Replay.CHUNK) {
                jobs.progress(replay, RebuildStatus.CATCHING_UP);
            }
            jobs.progress(replay, RebuildStatus.SWITCHING);
            switchOver.switchOver(replay);
            shadows.drop(replay.shadow);
            jobs.finish(replay, RebuildStatus.DONE, null);
            log.info(
                    "Rebuilt {}{}: {} events replayed, {} of them skipped",
                    name,
                    tenantId == null ? "" : " of tenant " + tenantId,
                    replay.replayed,
                    replay.skipped);
        } catch (RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.error("Rebuild of {} failed: {}", name, ProjectionFailures.describe(e));
            try {
                shadows.drop(replay.shadow);
            } finally {
                jobs.finish(replay, RebuildStatus.FAILED, ProjectionFailures.describe(e));
            }
        }
    }
}
