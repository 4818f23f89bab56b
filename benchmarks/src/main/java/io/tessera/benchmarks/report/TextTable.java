package io.tessera.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The one table a run prints: every row, then the ratios, then the notes. */
public final class TextTable {

    private TextTable() {}

    public static List<String> lines(Results results) {
        List<String> lines = new ArrayList<>(results.header());
        lines.add("");
        List<Object> names = new ArrayList<>(List.of(""));
        names.addAll(Results.Row.COLUMNS);
        lines.add(String.format(Locale.ROOT, "%-4s %-40s %8s %7s %6s %6s %8s %8s %8s %8s %9s", names.toArray())
                .replace("refused", "refus."));
        for (Results.Row row : results.rows()) {
            lines.add(String.format(
                    Locale.ROOT,
                    "%-4s %-40s %8s %7d %6d %6d %8.1f %8.1f %8.1f %8.1f %9.1f",
                    row.cells().toArray()));
        }
        lines.add("");
        lines.add("ratios");
        for (Results.Ratio ratio : results.ratios()) {
            lines.add(
                    String.format(Locale.ROOT, "  %-46s %9s   %s", ratio.name(), format(ratio.value()), ratio.basis()));
        }
        if (!results.notes().isEmpty()) {
            lines.add("");
            results.notes().forEach(note -> lines.add("note: " + note));
        }
        return lines;
    }

    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return Math.abs(value) >= 0.1 || value == 0
                ? String.format(Locale.ROOT, "%.2f", value)
                : String.format(Locale.ROOT, "%.4f", value);
    }
}
