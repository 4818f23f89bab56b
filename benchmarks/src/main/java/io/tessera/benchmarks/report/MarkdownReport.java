package io.tessera.benchmarks.report;

import io.tessera.benchmarks.load.Recording;
import java.util.List;
import java.util.Locale;

/** The results as Markdown: the header, one table of rows, the ratios, the notes and the plots. */
public final class MarkdownReport {

    private MarkdownReport() {}

    public static String of(Results results, List<String> plots) {
        StringBuilder md = new StringBuilder("# Tessera benchmark\n\n");
        results.header().forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\n| | scenario | rate/s | n | errors | refused | p50 ms | p95 ms | p99 ms | max ms | done/s |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Results.Row row : results.rows()) {
            Recording r = row.recording();
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                    row.scenario(),
                    row.name(),
                    row.load(),
                    r.count(),
                    r.errors(),
                    r.refused(),
                    r.millisAt(50),
                    r.millisAt(95),
                    r.millisAt(99),
                    r.maxMillis(),
                    r.throughput()));
        }
        md.append("\n## Ratios\n\n| ratio | value | basis |\n|---|---:|---|\n");
        for (Results.Ratio ratio : results.ratios()) {
            md.append("| ")
                    .append(ratio.name())
                    .append(" | ")
                    .append(TextTable.format(ratio.value()))
                    .append(" | ")
                    .append(ratio.basis())
                    .append(" |\n");
        }
        if (!results.notes().isEmpty()) {
            md.append("\n## Notes\n\n");
            results.notes().forEach(note -> md.append("- ").append(note).append('\n'));
        }
        if (!plots.isEmpty()) {
            md.append("\n## Plots\n\n");
            plots.forEach(plot ->
                    md.append("![").append(plot).append("](").append(plot).append(")\n\n"));
        }
        return md.toString();
    }
}
