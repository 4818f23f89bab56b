package io.tessera.benchmarks.report;

import io.tessera.benchmarks.load.Recording;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Everything one run found: the measured rows, the ratios against the raw baseline, notes, and plot series. */
public final class Results {

    /** One measured loop: {@code rate} is the arrival rate asked for (0: closed loop of {@code clients}). */
    public record Row(String scenario, String name, double rate, int clients, Recording recording) {

        /** The columns both tables print, after the header's: each writer only chooses the layout. */
        public static final List<String> COLUMNS = List.of(
                "scenario", "rate/s", "n", "errors", "refused", "p50 ms", "p95 ms", "p99 ms", "max ms", "done/s");

        /** How the load was made: the arrival rate, or {@code c=N} closed-loop clients. */
        public String load() {
            return rate > 0 ? String.format(Locale.ROOT, "%.0f", rate) : clients > 0 ? "c=" + clients : "-";
        }

        /** This row's values in the order of {@link #COLUMNS}, behind the scenario id. */
        public List<Object> cells() {
            return List.of(
                    scenario,
                    name,
                    load(),
                    recording.count(),
                    recording.errors(),
                    recording.refused(),
                    recording.millisAt(50),
                    recording.millisAt(95),
                    recording.millisAt(99),
                    recording.maxMillis(),
                    recording.throughput());
        }
    }

    /** A ratio the verdict rests on, and what it divides by what. */
    public record Ratio(String name, double value, String basis) {}

    /** One point of a latency-against-rate plot. */
    public record Point(double rate, double p50, double p95, double p99) {}

    private final List<String> header = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<Ratio> ratios = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, List<Point>> series = new LinkedHashMap<>();

    public synchronized void header(String line) {
        header.add(line);
    }

    public synchronized Row add(String scenario, Recording recording, int clients) {
        Row row = new Row(scenario, recording.name(), recording.targetRate(), clients, recording);
        rows.add(row);
        return row;
    }

    public synchronized void ratio(String name, double value, String basis) {
        ratios.add(new Ratio(name, value, basis));
    }

    public synchronized void note(String text) {
        notes.add(text);
    }

    /** Adds a rising-rate step to the plot line {@code line}. */
    public synchronized void point(String line, Recording recording) {
        series.computeIfAbsent(line, key -> new ArrayList<>())
                .add(new Point(
                        recording.targetRate(),
                        recording.millisAt(50),
                        recording.millisAt(95),
                        recording.millisAt(99)));
    }

    public synchronized List<String> header() {
        return List.copyOf(header);
    }

    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    public synchronized List<Ratio> ratios() {
        return List.copyOf(ratios);
    }

    public synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    public synchronized Map<String, List<Point>> series() {
        return new LinkedHashMap<>(series);
    }
}
