package io.tessera.query.rebuild;

import io.tessera.query.cache.QueryCache;
import io.tessera.query.projection.ProjectionFailures;
import io.tessera.query.projection.TenantProjectionLock;
import io.tessera.query.tenancy.TenantTransactions;
import java.sql.SQLException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The switch, in one transaction: the live table locked against writes (reads go on), the last events replayed,
 * the live table dropped and the shadow moved into its place, the kind's counters replaced. A live event waiting on
 * the lock is applied to the new table once it commits. One tenant alone: its rows replaced by the shadow's
 * (delete, then insert) under the tenant's projection lock; no other tenant's row is written.
 */
@Component
class SwitchOver {

    private static final String STATS = ShadowSchemas.STATS;
    private static final int SWITCH_ATTEMPTS = 5;
    private static final Logger log = LoggerFactory.getLogger(SwitchOver.class);

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final QueryCache cache;
    private final TenantProjectionLock tenantLock;
    private final String live;
    private final String lockTimeout;

    SwitchOver(
            JdbcClient jdbc,
            TenantTransactions transactions,
            QueryCache cache,
            TenantProjectionLock tenantLock,
            @Value("${spring.flyway.default-schema:query_side}") String liveSchema,
            @Value("${tessera.rebuild.lock-timeout:2s}") String lockTimeout) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.cache = cache;
        this.tenantLock = tenantLock;
        this.live = TenantTransactions.checkedSchema(liveSchema);
        if (!lockTimeout.matches("[0-9]{1,6}(ms|s)")) {
            throw new IllegalArgumentException("tessera.rebuild.lock-timeout: e.g. 2s or 500ms, not " + lockTimeout);
        }
        this.lockTimeout = lockTimeout;
    }

    /**
     * Replaces the live rows with the shadow's; should the lock not be had within {@code lock_timeout}, catches up
     * again and tries anew. The cache forgets the tenants whose rows changed.
     */
    void switchOver(Replay replay) throws InterruptedException {
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
}
