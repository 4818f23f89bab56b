package io.tessera.query.rebuild;

import io.tessera.query.cache.QueryCache;
import io.tessera.query.projection.CloudEventReader;
import io.tessera.query.projection.LoggedRow;
import io.tessera.query.projection.ProjectedEvent;
import io.tessera.query.projection.ProjectionFailures;
import io.tessera.query.projection.TenantProjectionLock;
import io.tessera.query.tenancy.SchemaOwner;
import io.tessera.query.tenancy.TenantTransactions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Rebuilds a read table from {@code event_log} while the live one keeps serving, then switches atomically.
 *
 * <ol>
 *   <li>A shadow copy of the table's definition (columns, keys, indexes, row-level security policies and
 *       grants, read from the catalog) and of {@code tenant_stats} in a schema of its own,
 *       {@code query_side_rebuild_<name>}.
 *   <li>The log replayed into it, in chunks of {@value #CHUNK} events per projector transaction, ordered by
 *       tenant and position, through the very projection the live consumer uses: the shadow schema comes
 *       first on the search path, so the projection's {@code deployments} is the shadow's. The highest
 *       position replayed per tenant is remembered (within a tenant, the log grows in position order: one
 *       writer per tenant on the command side, one partition per tenant on the way).
 *   <li>Catching up with what the live consumer logged meanwhile, until a round is short.
 *   <li>The switch, in one transaction: the live table locked against writes (reads go on), the last events
 *       replayed, the live table dropped and the shadow moved into its place, the kind's counters replaced.
 *       A live event waiting on the lock is applied to the new table once it commits. Should the lock not be
 *       had within {@code lock_timeout}, the switch is tried again.
 * </ol>
 *
 * One tenant alone: the same shadow, filled with that tenant's events only, and a switch that replaces only
 * that tenant's rows (delete, then insert from the shadow) under the tenant's projection lock; no other
 * tenant's row is written. One rebuild per read table at a time, across instances ({@code projection_rebuilds}).
 */
@Component
public class ProjectionRebuilds implements DisposableBean {

    static final int CHUNK = 1000;
    static final String SHADOW_PREFIX = "query_side_rebuild_";
    private static final String STATS = "tenant_stats";
    private static final int SWITCH_ATTEMPTS = 5;
    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);

    private final Map<String, RebuildableProjection> projections = new LinkedHashMap<>();
    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final SchemaOwner owner;
    private final CloudEventReader reader;
    private final QueryCache cache;
    private final TenantProjectionLock tenantLock;
    private final String live;
    private final String lockTimeout;
    private final ExecutorService executor;

    ProjectionRebuilds(
            List<RebuildableProjection> projections,
            JdbcClient jdbc,
            TenantTransactions transactions,
            SchemaOwner owner,
            CloudEventReader reader,
            QueryCache cache,
            TenantProjectionLock tenantLock,
            @Value("${spring.flyway.default-schema:query_side}") String liveSchema,
            @Value("${tessera.rebuild.lock-timeout:2s}") String lockTimeout) {
        projections.stream()
                .sorted((a, b) -> a.table().compareTo(b.table()))
                .forEach(p -> this.projections.put(TenantTransactions.checkedSchema(p.table()), p));
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.owner = owner;
        this.reader = reader;
        this.cache = cache;
        this.tenantLock = tenantLock;
        this.live = TenantTransactions.checkedSchema(liveSchema);
        if (!lockTimeout.matches("[0-9]{1,6}(ms|s)")) {
            throw new IllegalArgumentException("tessera.rebuild.lock-timeout: e.g. 2s or 500ms, not " + lockTimeout);
        }
        this.lockTimeout = lockTimeout;
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
        Map<String, RebuildStatus> stored = transactions.readAsPlatformAdmin(
                () -> jdbc.sql("SELECT * FROM projection_rebuilds").query(ProjectionRebuilds::status).list().stream()
                        .collect(Collectors.toMap(RebuildStatus::name, s -> s)));
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
        return Optional.of(transactions
                .readAsPlatformAdmin(() -> jdbc.sql("SELECT * FROM projection_rebuilds WHERE name = :name")
                        .param("name", name)
                        .query(ProjectionRebuilds::status)
                        .optional())
                .orElse(RebuildStatus.idle(name)));
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
        // A rebuild whose instance died stops writing progress: after two minutes another may take over.
        int claimed = transactions.projecting(() -> jdbc.sql("""
                        INSERT INTO projection_rebuilds (name, only_tenant, state, started_at, updated_at)
                        VALUES (:name, :tenantId, :state, clock_timestamp(), clock_timestamp())
                        ON CONFLICT (name) DO UPDATE
                        SET only_tenant = EXCLUDED.only_tenant, state = EXCLUDED.state, events_replayed = 0,
                            events_total = 0, started_at = EXCLUDED.started_at, updated_at = EXCLUDED.updated_at,
                            finished_at = NULL, error = NULL
                        WHERE projection_rebuilds.state IN ('done', 'failed')
                           OR projection_rebuilds.updated_at < clock_timestamp() - interval '2 minutes'
                        """)
                .param("name", name)
                .param("tenantId", tenantId)
                .param("state", RebuildStatus.BUILDING)
                .update());
        RebuildStatus status = status(name).orElseThrow();
        return claimed == 1 ? new Started(status) : new AlreadyRunning(status);
    }

    private void rebuild(String name, String tenantId) {
        RebuildableProjection projection = projections.get(name);
        String shadow = SHADOW_PREFIX + name;
        Replay replay = new Replay(name, projection, shadow, tenantId);
        try {
            createShadow(projection.table(), shadow);
            replay.total = transactions.projecting(() -> count(tenantId));
            progress(replay, RebuildStatus.BUILDING);
            while (replay.chunk()) {
                progress(replay, RebuildStatus.BUILDING);
            }
            progress(replay, RebuildStatus.CATCHING_UP);
            while (replay.catchUpRound() == CHUNK) {
                progress(replay, RebuildStatus.CATCHING_UP);
            }
            progress(replay, RebuildStatus.SWITCHING);
            switchOver(replay);
            dropShadow(shadow);
            finish(replay, RebuildStatus.DONE, null);
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
                dropShadow(shadow);
            } finally {
                finish(replay, RebuildStatus.FAILED, ProjectionFailures.describe(e));
            }
        }
    }

    /** One rebuild's position in the log: per tenant, the highest position replayed into the shadow. */
    private final class Replay {

        final String name;
        final RebuildableProjection projection;
        final String shadow;
        final String tenantId;
        final Map<String, Long> watermarks = new LinkedHashMap<>();
        String lastTenant = "";
        long lastPosition = Long.MIN_VALUE;
        long replayed;
        long skipped;
        long total;

        Replay(String name, RebuildableProjection projection, String shadow, String tenantId) {
            this.name = name;
            this.projection = projection;
            this.shadow = shadow;
            this.tenantId = tenantId;
        }

        /** The next chunk in (tenant, position) order; false when the log is through. */
        boolean chunk() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException("rebuild interrupted");
            }
            List<LoggedRow> rows = transactions.projecting(() -> jdbc.sql("SELECT " + LoggedRow.columns("e")
                            + " FROM event_log e WHERE (e.tenant_id, e.position) > (:lastTenant, :lastPosition)"
                            + (tenantId == null ? "" : " AND e.tenant_id = :tenantId")
                            + NOT_OFFBOARDED + " ORDER BY e.tenant_id, e.position LIMIT " + CHUNK)
                    .param("lastTenant", lastTenant)
                    .param("lastPosition", lastPosition)
                    .param("tenantId", tenantId)
                    .query(LoggedRow::read)
                    .list());
            replay(rows);
            if (!rows.isEmpty()) {
                LoggedRow last = rows.get(rows.size() - 1);
                lastTenant = last.tenantId();
                lastPosition = last.position();
            }
            return rows.size() == CHUNK;
        }

        /** The events logged past each tenant's watermark, at most a chunk. */
        List<LoggedRow> pastWatermarks() {
            String tenants = String.join(",", watermarks.keySet());
            String positions = watermarks.values().stream().map(String::valueOf).collect(Collectors.joining(","));
            return jdbc.sql("SELECT " + LoggedRow.columns("e") + " FROM event_log e"
                            + " LEFT JOIN unnest(string_to_array(:tenants, ','),"
                            + " CAST(string_to_array(:positions, ',') AS bigint[])) AS w(tenant_id, position)"
                            + " ON w.tenant_id = e.tenant_id"
                            + " WHERE e.position > COALESCE(w.position, -1)"
                            + (tenantId == null ? "" : " AND e.tenant_id = :tenantId")
                            + NOT_OFFBOARDED + " ORDER BY e.tenant_id, e.position LIMIT " + CHUNK)
                    .param("tenants", tenants)
                    .param("positions", positions)
                    .param("tenantId", tenantId)
                    .query(LoggedRow::read)
                    .list();
        }

        int catchUpRound() {
            List<LoggedRow> rows = transactions.projecting(this::pastWatermarks);
            replay(rows);
            return rows.size();
        }

        /**
         * Inside the switch's transaction (the live writers held off by its lock): everything past the
         * watermarks, however many rounds it takes; each event behind a savepoint, so that one the projection
         * refuses is skipped without aborting the switch.
         */
        void catchUpAll() {
            List<LoggedRow> rows;
            do {
                rows = pastWatermarks();
                for (LoggedRow row : rows) {
                    jdbc.sql("SAVEPOINT replayed_event").update();
                    boolean applied;
                    try {
                        applied = apply(row);
                        jdbc.sql("RELEASE SAVEPOINT replayed_event").update();
                    } catch (RuntimeException e) {
                        if (ProjectionFailures.isTransient(e)) {
                            throw e;
                        }
                        jdbc.sql("ROLLBACK TO SAVEPOINT replayed_event").update();
                        applied = false;
                        refused(row, e);
                    }
                    replayed(row, applied);
                }
            } while (rows.size() == CHUNK);
        }

        /**
         * Applies the rows into the shadow in one transaction; should the projection refuse one, again one
         * transaction per row, skipping (and counting) those it refuses: the live consumer would have
         * dead-lettered them, so the read table never had them either.
         */
        private void replay(List<LoggedRow> rows) {
            List<Boolean> applied;
            try {
                applied = transactions.projectingInto(shadow, () -> applyAll(rows));
            } catch (RuntimeException e) {
                if (ProjectionFailures.isTransient(e)) {
                    throw e;
                }
                applied = rows.stream()
                        .map(row -> {
                            try {
                                return transactions.projectingInto(shadow, () -> apply(row));
                            } catch (RuntimeException refused) {
                                if (ProjectionFailures.isTransient(refused)) {
                                    throw refused;
                                }
                                refused(row, refused);
                                return false;
                            }
                        })
                        .toList();
            }
            for (int i = 0; i < rows.size(); i++) {
                replayed(rows.get(i), applied.get(i));
            }
        }

        /** The chunk to the projection at once ({@link RebuildableProjection#applyAll}); which rows it could read. */
        private List<Boolean> applyAll(List<LoggedRow> rows) {
            List<ProjectedEvent> events = new ArrayList<>(rows.size());
            List<Boolean> readable = new ArrayList<>(rows.size());
            for (LoggedRow row : rows) {
                Optional<Object> payload = payload(row);
                payload.ifPresent(data -> events.add(row.event(data)));
                readable.add(payload.isPresent());
            }
            projection.applyAll(events);
            return readable;
        }

        private Optional<Object> payload(LoggedRow row) {
            Optional<Object> payload = reader.payload(row.type(), row.data());
            if (payload.isEmpty()) {
                log.warn(
                        "Rebuild of {} skips the event at position {}: its data does not read as {}",
                        name,
                        row.position(),
                        row.type());
            }
            return payload;
        }

        /** Whether the projection took the event (false: its data no longer reads as its type). */
        private boolean apply(LoggedRow row) {
            Optional<Object> payload = payload(row);
            payload.ifPresent(data -> projection.apply(row.event(data)));
            return payload.isPresent();
        }

        private void refused(LoggedRow row, RuntimeException e) {
            log.warn(
                    "Rebuild of {} skips the event at position {} of tenant {}: the projection refuses it ({})",
                    name,
                    row.position(),
                    row.tenantId(),
                    ProjectionFailures.describe(e));
        }

        private void replayed(LoggedRow row, boolean applied) {
            watermarks.merge(row.tenantId(), row.position(), Math::max);
            replayed++;
            if (!applied) {
                skipped++;
            }
        }
    }

    private static final String NOT_OFFBOARDED =
            " AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = e.tenant_id AND t.status = 'offboarded')";

    private long count(String tenantId) {
        return jdbc.sql("SELECT count(*) FROM event_log e WHERE "
                        + (tenantId == null ? "TRUE" : "e.tenant_id = :tenantId") + NOT_OFFBOARDED)
                .param("tenantId", tenantId)
                .query(Long.class)
                .single();
    }

    private void switchOver(Replay replay) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                if (replay.tenantId == null) {
                    switchTable(replay);
                } else {
                    switchTenant(replay);
                }
                break;
            } catch (RuntimeException e) {
                if (attempt >= SWITCH_ATTEMPTS || !ProjectionFailures.isTransient(e) && !lockNotAvailable(e)) {
                    throw e;
                }
                log.info(
                        "Switch of {} waited too long for its lock (attempt {}); catching up again",
                        replay.name,
                        attempt);
                replay.catchUpRound();
            }
        }
        Map<String, Long> tenants = replay.tenantId == null
                ? replay.watermarks
                : Map.of(replay.tenantId, replay.watermarks.getOrDefault(replay.tenantId, -1L));
        tenants.forEach(cache::evictTenant);
    }

    /**
     * The whole table: the live one dropped and the shadow moved into its place, in one projector transaction;
     * the owner's {@code swap_in_rebuilt} does the drop and the move (V10_1__database_roles.sql).
     */
    private void switchTable(Replay replay) {
        String table = replay.projection.table();
        String kind = replay.projection.statsKind();
        transactions.projectingInto(replay.shadow, () -> {
            jdbc.sql("SET LOCAL lock_timeout = '" + lockTimeout + "'").update();
            // Writers wait from here on, readers go on until the swap below takes the table from them.
            jdbc.sql("LOCK TABLE " + live + "." + table + " IN EXCLUSIVE MODE").update();
            replay.catchUpAll();
            jdbc.sql("SELECT " + live + ".swap_in_rebuilt(:table)")
                    .param("table", table)
                    .query(rs -> {});
            jdbc.sql("DELETE FROM " + live + "." + STATS + " WHERE kind = :kind")
                    .param("kind", kind)
                    .update();
            jdbc.sql("INSERT INTO " + live + "." + STATS + " SELECT * FROM " + replay.shadow + "." + STATS
                            + " WHERE kind = :kind")
                    .param("kind", kind)
                    .update();
            return null;
        });
    }

    /** One tenant: its rows replaced by the shadow's under its projection lock; no other row is written. */
    private void switchTenant(Replay replay) {
        String table = replay.projection.table();
        String kind = replay.projection.statsKind();
        String tenantId = replay.tenantId;
        transactions.projectingInto(replay.shadow, () -> {
            tenantLock.lock(tenantId);
            replay.catchUpAll();
            jdbc.sql("DELETE FROM " + live + "." + table + " WHERE tenant_id = :tenantId")
                    .param("tenantId", tenantId)
                    .update();
            jdbc.sql("INSERT INTO " + live + "." + table + " SELECT * FROM " + replay.shadow + "." + table
                            + " WHERE tenant_id = :tenantId")
                    .param("tenantId", tenantId)
                    .update();
            jdbc.sql("DELETE FROM " + live + "." + STATS + " WHERE tenant_id = :tenantId AND kind = :kind")
                    .param("tenantId", tenantId)
                    .param("kind", kind)
                    .update();
            jdbc.sql("INSERT INTO " + live + "." + STATS + " SELECT * FROM " + replay.shadow + "." + STATS
                            + " WHERE tenant_id = :tenantId AND kind = :kind")
                    .param("tenantId", tenantId)
                    .param("kind", kind)
                    .update();
            return null;
        });
    }

    private static boolean lockNotAvailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The shadow schema with empty copies of the table and of {@code tenant_stats}, each as the live one is
     * defined now (read from the catalog with only pg_catalog on the search path, so every name comes back
     * qualified): keys, indexes, row-level security, policies and grants.
     */
    private void createShadow(String table, String shadow) {
        owner.administer(jdbc -> {
            jdbc.sql("SET LOCAL search_path TO pg_catalog").update();
            jdbc.sql("DROP SCHEMA IF EXISTS " + shadow + " CASCADE").update();
            jdbc.sql("CREATE SCHEMA " + shadow).update();
            jdbc.sql("GRANT USAGE ON SCHEMA " + shadow + " TO " + TenantTransactions.PROJECTOR_ROLE)
                    .update();
            copyDefinition(jdbc, table, shadow);
            copyDefinition(jdbc, STATS, shadow);
        });
    }

    private void copyDefinition(JdbcClient jdbc, String table, String shadow) {
        String source = live + "." + table;
        String target = shadow + "." + table;
        jdbc.sql("CREATE TABLE " + target + " (LIKE " + source
                        + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)")
                .update();
        List<String> statements = new ArrayList<>();
        jdbc.sql("""
                        SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', :target, conname, pg_get_constraintdef(oid))
                        FROM pg_constraint WHERE conrelid = CAST(:source AS regclass) AND contype IN ('p', 'u', 'x')
                        ORDER BY conname
                        """)
                .param("target", target)
                .param("source", source)
                .query(String.class)
                .list()
                .forEach(statements::add);
        jdbc.sql("""
                        SELECT replace(pg_get_indexdef(i.indexrelid), ' ON ' || :source || ' USING ',
                                       ' ON ' || :target || ' USING ')
                        FROM pg_index i
                        WHERE i.indrelid = CAST(:source AS regclass)
                          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                        ORDER BY i.indexrelid
                        """)
                .param("target", target)
                .param("source", source)
                .query(String.class)
                .list()
                .forEach(statements::add);
        jdbc.sql("""
                        SELECT format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', :target)
                        FROM pg_class WHERE oid = CAST(:source AS regclass) AND relrowsecurity
                        UNION ALL
                        SELECT format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', :target)
                        FROM pg_class WHERE oid = CAST(:source AS regclass) AND relforcerowsecurity
                        """)
                .param("target", target)
                .param("source", source)
                .query(String.class)
                .list()
                .forEach(statements::add);
        jdbc.sql("""
                        SELECT format('CREATE POLICY %I ON %s AS %s FOR %s TO %s', policyname, :target, permissive, cmd,
                                      (SELECT string_agg(quote_ident(r), ', ') FROM unnest(roles) r))
                               || coalesce(' USING (' || qual || ')', '')
                               || coalesce(' WITH CHECK (' || with_check || ')', '')
                        FROM pg_policies WHERE schemaname = :schema AND tablename = :table
                        ORDER BY policyname
                        """)
                .param("target", target)
                .param("schema", live)
                .param("table", table)
                .query(String.class)
                .list()
                .forEach(statements::add);
        jdbc.sql("""
                        SELECT format('GRANT %s ON %s TO %I', a.privilege_type, :target, g.rolname)
                        FROM pg_class c
                        CROSS JOIN LATERAL aclexplode(c.relacl) a
                        JOIN pg_roles g ON g.oid = a.grantee
                        WHERE c.oid = CAST(:source AS regclass) AND a.grantee <> c.relowner
                        ORDER BY g.rolname, a.privilege_type
                        """)
                .param("target", target)
                .param("source", source)
                .query(String.class)
                .list()
                .forEach(statements::add);
        statements.forEach(statement -> jdbc.sql(statement).update());
    }

    private void dropShadow(String shadow) {
        owner.administer(
                jdbc -> jdbc.sql("DROP SCHEMA IF EXISTS " + shadow + " CASCADE").update());
    }

    private void progress(Replay replay, String state) {
        transactions.project(() -> jdbc.sql("""
                        UPDATE projection_rebuilds SET state = :state, events_replayed = :replayed,
                               events_skipped = :skipped, events_total = GREATEST(:total, :replayed),
                               updated_at = clock_timestamp()
                        WHERE name = :name
                        """)
                .param("state", state)
                .param("skipped", replay.skipped)
                .param("replayed", replay.replayed)
                .param("total", replay.total)
                .param("name", replay.name)
                .update());
    }

    private void finish(Replay replay, String state, String error) {
        transactions.project(() -> jdbc.sql("""
                        UPDATE projection_rebuilds SET state = :state, events_replayed = :replayed,
                               events_skipped = :skipped, events_total = GREATEST(:total, :replayed),
                               updated_at = clock_timestamp(), finished_at = clock_timestamp(), error = :error
                        WHERE name = :name
                        """)
                .param("state", state)
                .param("skipped", replay.skipped)
                .param("replayed", replay.replayed)
                .param("total", replay.total)
                .param("error", error)
                .param("name", replay.name)
                .update());
    }

    private static RebuildStatus status(ResultSet rs, int row) throws SQLException {
        return RebuildStatus.of(
                rs.getString("name"),
                rs.getString("only_tenant"),
                rs.getString("state"),
                rs.getLong("events_replayed"),
                rs.getLong("events_skipped"),
                rs.getLong("events_total"),
                instant(rs, "started_at"),
                instant(rs, "updated_at"),
                instant(rs, "finished_at"),
                rs.getString("error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
