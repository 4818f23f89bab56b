package io.tessera.query.projection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The per-tenant counters behind {@code /api/tenants/{id}/stats}. Projections call it only when their
 * row actually changed, in the same transaction, so counters stay exact under redelivery.
 */
@Component
public class StatsCounter {

    public static final String DEPLOYMENT = "deployment";
    public static final String WORKFLOW = "workflow";
    public static final String USER = "user";

    private final JdbcClient jdbc;

    StatsCounter(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void added(String tenantId, String kind, String status, Instant time) {
        adjust(tenantId, kind, status, 1, time);
    }

    public void removed(String tenantId, String kind, String status, Instant time) {
        adjust(tenantId, kind, status, -1, time);
    }

    public void moved(String tenantId, String kind, String from, String to, Instant time) {
        if (!from.equals(to)) {
            removed(tenantId, kind, from, time);
            added(tenantId, kind, to, time);
        }
    }

    private void adjust(String tenantId, String kind, String status, long delta, Instant time) {
        jdbc.sql("""
                        INSERT INTO tenant_stats (tenant_id, kind, status, count, updated_at)
                        VALUES (:tenantId, :kind, :status, :delta, :time)
                        ON CONFLICT (tenant_id, kind, status) DO UPDATE
                        SET count = tenant_stats.count + EXCLUDED.count,
                            updated_at = GREATEST(tenant_stats.updated_at, EXCLUDED.updated_at)
                        """)
                .param("tenantId", tenantId)
                .param("kind", kind)
                .param("status", status)
                .param("delta", delta)
                .param("time", OffsetDateTime.ofInstant(time, ZoneOffset.UTC))
                .update();
    }
}
