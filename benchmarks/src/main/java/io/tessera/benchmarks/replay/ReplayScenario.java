package io.tessera.benchmarks.replay;

import io.tessera.benchmarks.report.Results;
import io.tessera.benchmarks.system.BenchSystem;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The second half of S3: a full rebuild of the deployments read table from the event log
 * ({@code POST /api/admin/projections/deployments/rebuild}, polled until done), in events per second, beside
 * the raw limit of the same work: the same event log read in order in chunks of 1000 and written to a scratch
 * table in JDBC batches of 1000, one commit a chunk.
 */
public final class ReplayScenario {

    private static final Pattern STATE = Pattern.compile("\"state\":\"([a-z_]+)\"");
    private static final Pattern REPLAYED = Pattern.compile("\"events_replayed\":(\\d+)");
    private static final int CHUNK = 1000;

    private final BenchSystem system;
    private final Results results;

    public ReplayScenario(BenchSystem system, Results results) {
        this.system = system;
        this.results = results;
    }

    public void run() throws Exception {
        progress("S3 replay: rebuilding the deployments table...");
        String admin = system.tenants().admin();
        String base = system.queryUrl() + "/api/admin/projections/deployments";
        long started = System.nanoTime();
        HttpResponse<String> start = system.api().post(base + "/rebuild", admin, "{}");
        if (start.statusCode() != 202) {
            results.note("S3 replay: the rebuild did not start: " + start.statusCode() + " " + start.body());
            return;
        }
        String state = "building";
        String body = start.body();
        long deadline = started + Duration.ofMinutes(10).toNanos();
        while (!state.equals("done") && !state.equals("failed") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            body = system.api().get(base, admin).body();
            Matcher matcher = STATE.matcher(body);
            state = matcher.find() ? matcher.group(1) : "unknown";
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Matcher replayedMatch = REPLAYED.matcher(body);
        long replayed = replayedMatch.find() ? Long.parseLong(replayedMatch.group(1)) : 0;
        double replayRate = replayed / seconds;

        progress("S3 replay: raw sequential read + batched insert of the same log...");
        long[] raw = rawCopy();
        double rawSeconds = raw[1] / 1e9;
        double rawRate = raw[0] / rawSeconds;
        results.note(String.format(
                Locale.ROOT,
                "S3 replay: rebuild %s, %d events in %.1f s = %.0f events/s (polled every 100 ms); raw: %d event_log"
                        + " rows read in order and inserted in batches of %d in %.1f s = %.0f rows/s",
                state,
                replayed,
                seconds,
                replayRate,
                raw[0],
                CHUNK,
                rawSeconds,
                rawRate));
        results.ratio(
                "S3 replay events/s / raw rows/s",
                rawRate == 0 ? Double.NaN : replayRate / rawRate,
                String.format(Locale.ROOT, "%.0f / %.0f per second (%s)", replayRate, rawRate, state));
    }

    /** Rows copied and the nanoseconds it took. */
    private long[] rawCopy() throws SQLException {
        try (Connection db = system.connect()) {
            try (Statement statement = db.createStatement()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS bench_raw");
                statement.execute("DROP TABLE IF EXISTS bench_raw.replayed");
                statement.execute("CREATE TABLE bench_raw.replayed (tenant_id TEXT NOT NULL, position BIGINT NOT NULL,"
                        + " type TEXT NOT NULL, subject TEXT, data JSONB, PRIMARY KEY (tenant_id, position))");
            }
            long started = System.nanoTime();
            long copied = 0;
            db.setAutoCommit(false);
            String lastTenant = "";
            long lastPosition = -1;
            try (PreparedStatement read = db.prepareStatement("SELECT tenant_id, position, type, subject,"
                            + " CAST(data AS text) FROM query_side.event_log WHERE (tenant_id, position) > (?, ?)"
                            + " ORDER BY tenant_id, position LIMIT " + CHUNK);
                    PreparedStatement write = db.prepareStatement("INSERT INTO bench_raw.replayed (tenant_id, position,"
                            + " type, subject, data) VALUES (?, ?, ?, ?, CAST(? AS jsonb))")) {
                int rows;
                do {
                    read.setString(1, lastTenant);
                    read.setLong(2, lastPosition);
                    rows = 0;
                    try (ResultSet rs = read.executeQuery()) {
                        while (rs.next()) {
                            lastTenant = rs.getString(1);
                            lastPosition = rs.getLong(2);
                            write.setString(1, lastTenant);
                            write.setLong(2, lastPosition);
                            write.setString(3, rs.getString(3));
                            write.setString(4, rs.getString(4));
                            write.setString(5, rs.getString(5));
                            write.addBatch();
                            rows++;
                        }
                    }
                    write.executeBatch();
                    db.commit();
                    copied += rows;
                } while (rows == CHUNK);
            }
            return new long[] {copied, System.nanoTime() - started};
        }
    }

    private static void progress(String text) {
        System.err.println("... " + text);
    }
}
