package io.tessera.benchmarks.report;

import io.tessera.benchmarks.load.Recording;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The results as JSON, written by hand: a handful of numbers needs no mapper. */
public final class JsonReport {

    private JsonReport() {}

    public static String of(Results results) {
        StringBuilder json = new StringBuilder("{\n  \"header\": ");
        json.append(strings(results.header())).append(",\n  \"rows\": [\n");
        List<Results.Row> rows = results.rows();
        for (int i = 0; i < rows.size(); i++) {
            Results.Row row = rows.get(i);
            Recording r = row.recording();
            json.append("    {\"scenario\": ")
                    .append(string(row.scenario()))
                    .append(", \"name\": ")
                    .append(string(row.name()))
                    .append(", \"target_rate\": ")
                    .append(number(row.rate()))
                    .append(", \"clients\": ")
                    .append(row.clients())
                    .append(", \"count\": ")
                    .append(r.count())
                    .append(", \"errors\": ")
                    .append(r.errors())
                    .append(", \"refused\": ")
                    .append(r.refused())
                    .append(", \"p50_ms\": ")
                    .append(number(r.millisAt(50)))
                    .append(", \"p95_ms\": ")
                    .append(number(r.millisAt(95)))
                    .append(", \"p99_ms\": ")
                    .append(number(r.millisAt(99)))
                    .append(", \"max_ms\": ")
                    .append(number(r.maxMillis()))
                    .append(", \"throughput_per_s\": ")
                    .append(number(r.throughput()))
                    .append(", \"wall_s\": ")
                    .append(number(r.wallNanos() / 1e9))
                    .append('}')
                    .append(i + 1 < rows.size() ? ",\n" : "\n");
        }
        json.append("  ],\n  \"ratios\": [\n");
        List<Results.Ratio> ratios = results.ratios();
        for (int i = 0; i < ratios.size(); i++) {
            Results.Ratio ratio = ratios.get(i);
            json.append("    {\"name\": ")
                    .append(string(ratio.name()))
                    .append(", \"value\": ")
                    .append(number(ratio.value()))
                    .append(", \"basis\": ")
                    .append(string(ratio.basis()))
                    .append('}')
                    .append(i + 1 < ratios.size() ? ",\n" : "\n");
        }
        json.append("  ],\n  \"series\": {");
        String series = results.series().entrySet().stream()
                .map(JsonReport::series)
                .collect(Collectors.joining(",", "\n", "\n  "));
        json.append(results.series().isEmpty() ? "" : series);
        json.append("},\n  \"notes\": ").append(strings(results.notes())).append("\n}\n");
        return json.toString();
    }

    private static String series(Map.Entry<String, List<Results.Point>> entry) {
        return "    " + string(entry.getKey()) + ": ["
                + entry.getValue().stream()
                        .map(p -> "{\"rate\": " + number(p.rate()) + ", \"p50_ms\": " + number(p.p50())
                                + ", \"p95_ms\": " + number(p.p95()) + ", \"p99_ms\": " + number(p.p99()) + "}")
                        .collect(Collectors.joining(", "))
                + "]";
    }

    private static String strings(List<String> values) {
        return values.stream().map(JsonReport::string).collect(Collectors.joining(", ", "[", "]"));
    }

    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    static String string(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
