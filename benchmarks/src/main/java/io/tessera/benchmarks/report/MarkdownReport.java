package io.tessera.benchmarks.report;

import java.util.List;
import java.util.Locale;

/** The results as Markdown: the header, one table of rows, the ratios, the notes and the plots. */
public final class MarkdownReport {

    private MarkdownReport() {}

    public static String of(Results results, List<String> plots) {
        StringBuilder md = new StringBuilder("# Tessera benchmark\n\n");
        results.header().forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\n| | ").append(String.join(" | ", Results.Row.COLUMNS));
        md.append(" |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Results.Row row : results.rows()) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                    row.cells().toArray()));
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
