package io.tessera.local;

import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn at most every 200 ms and once at the end. */
final class ImportProgress {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream err;
    private final long total;
    private long done;
    private long imported;
    private long unchanged;
    private long refused;
    private long lastDrawn;

    ImportProgress(PrintStream err, long total) {
        this.err = err;
        this.total = Math.max(total, 1);
    }

    void advance(String table, long importedRows, long unchangedRows, long refusedRows) {
        done += importedRows + unchangedRows + refusedRows;
        imported += importedRows;
        unchanged += unchangedRows;
        refused += refusedRows;
        long now = System.nanoTime();
        if (now - lastDrawn >= REDRAW_NANOS || done >= total) {
            lastDrawn = now;
            draw(table);
        }
    }

    void finish(String table) {
        draw(table);
        err.println();
    }

    private void draw(String table) {
        int filled = (int) Math.min(WIDTH, done * WIDTH / total);
        err.printf(
                "\r[%s%s] %3d%% %d/%d rows  %-11s imported %d  unchanged %d  refused %d",
                "#".repeat(filled),
                "-".repeat(WIDTH - filled),
                Math.min(100, done * 100 / total),
                done,
                total,
                table,
                imported,
                unchanged,
                refused);
        err.flush();
    }
}
