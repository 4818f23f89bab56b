package io.tessera.query.projection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
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

    private static final String ADJUST = """
            INSERT INTO tenant_stats (tenant_id, kind, status, count, updated_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (tenant_id, kind, status) DO UPDATE
            SET count = tenant_stats.count + EXCLUDED.count,
                updated_at = GREATEST(tenant_stats.updated_at, EXCLUDED.updated_at)
            """;

    private final JdbcTemplate jdbc;

    StatsCounter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void added(String tenantId, String kind, String status, Instant time) {
        write(new Tally().added(tenantId, kind, status, time));
    }

    public void removed(String tenantId, String kind, String status, Instant time) {
        write(new Tally().removed(tenantId, kind, status, time));
    }

    public void moved(String tenantId, String kind, String from, String to, Instant time) {
        write(new Tally().moved(tenantId, kind, from, to, time));
    }

    /**
     * Counter moves gathered in memory (a replay's folded chunk) and written in one batch: the same rows as the
     * moves one by one, a key touched to a net zero included (its row exists and shows the time, as it would).
     */
    public static final class Tally {

        private record Key(String tenantId, String kind, String status) {}

        private static final class Move {
            long delta;
            Instant time;
        }

        private final Map<Key, Move> moves = new LinkedHashMap<>();

        public Tally added(String tenantId, String kind, String status, Instant time) {
            return adjust(tenantId, kind, status, 1, time);
        }

        public Tally removed(String tenantId, String kind, String status, Instant time) {
            return adjust(tenantId, kind, status, -1, time);
        }

        public Tally moved(String tenantId, String kind, String from, String to, Instant time) {
            return from.equals(to) ? this : removed(tenantId, kind, from, time).added(tenantId, kind, to, time);
        }

        private Tally adjust(String tenantId, String kind, String status, long delta, Instant time) {
            Move move = moves.computeIfAbsent(new Key(tenantId, kind, status), key -> new Move());
            move.delta += delta;
            move.time = move.time == null || time.isAfter(move.time) ? time : move.time;
            return this;
        }
    }

    public void write(Tally tally) {
        if (tally.moves.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(tally.moves.size());
        tally.moves.forEach((key, move) -> rows.add(new Object[] {
            key.tenantId(), key.kind(), key.status(), move.delta, OffsetDateTime.ofInstant(move.time, ZoneOffset.UTC)
        }));
        if (rows.size() == 1) {
            jdbc.update(ADJUST, rows.get(0));
        } else {
            jdbc.batchUpdate(ADJUST, rows);
        }
    }
}
