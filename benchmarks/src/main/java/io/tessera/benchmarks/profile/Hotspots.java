package io.tessera.benchmarks.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went, from a JFR recording's {@code jdk.ExecutionSample} events: samples counted by the package
 * of the top frame (what runs), by the package of the first frame outside the JDK (which library asked for
 * it), by the first Tessera method on the stack (which of our code paths it served), and inclusively by
 * library: the share of samples with that library anywhere on the stack.
 */
public final class Hotspots {

    private static final List<String> JDK = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    private final Map<String, Long> topPackage = new HashMap<>();
    private final Map<String, Long> callerPackage = new HashMap<>();
    private final Map<String, Long> tesseraMethod = new HashMap<>();
    private final Map<String, Long> libraryInclusive = new HashMap<>();
    private final Map<String, Long> tesseraInclusive = new HashMap<>();
    private long samples;

    public static Hotspots of(Path recording) throws IOException {
        Hotspots hotspots = new Hotspots();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    hotspots.add(event.getStackTrace());
                }
            }
        }
        return hotspots;
    }

    void add(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return;
        }
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        count(topPackage, packageOf(frames.get(0)));
        String caller = "(JDK only)";
        String ours = "(no Tessera frame)";
        for (RecordedFrame frame : frames) {
            String name = typeOf(frame);
            if (caller.equals("(JDK only)") && JDK.stream().noneMatch(name::startsWith)) {
                caller = packageOf(frame);
            }
            if (name.startsWith("io.tessera.") && !name.startsWith("io.tessera.benchmarks.")) {
                ours = simpleName(name) + "." + frame.getMethod().getName();
                break;
            }
            if (name.startsWith("io.tessera.benchmarks.")) {
                ours = "(benchmark client)";
                break;
            }
        }
        count(callerPackage, caller);
        count(tesseraMethod, ours);
        Set<String> libraries = new HashSet<>();
        Set<String> methods = new HashSet<>();
        for (RecordedFrame frame : frames) {
            String type = typeOf(frame);
            libraries.add(library(type));
            if (type.startsWith("io.tessera.") && !type.startsWith("io.tessera.benchmarks.")) {
                methods.add(simpleName(type) + "." + frame.getMethod().getName());
            }
        }
        libraries.forEach(library -> count(libraryInclusive, library));
        methods.forEach(method -> count(tesseraInclusive, method));
    }

    public List<String> report(int top) {
        List<String> lines = new ArrayList<>();
        lines.add(samples + " execution samples");
        section(lines, "by package of the top frame", topPackage, top);
        section(lines, "by package of the first non-JDK frame", callerPackage, top);
        section(lines, "by first Tessera method on the stack", tesseraMethod, top);
        section(
                lines,
                "by library anywhere on the stack (inclusive: a sample counts once for each)",
                libraryInclusive,
                top + 8);
        section(lines, "by Tessera method anywhere on the stack (inclusive)", tesseraInclusive, top + 8);
        return lines;
    }

    private void section(List<String> lines, String title, Map<String, Long> counts, int top) {
        lines.add(title + ":");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> lines.add(String.format(
                        Locale.ROOT, "  %5.1f %%  %7d  %s", 100.0 * e.getValue() / samples, e.getValue(), e.getKey())));
    }

    private static void count(Map<String, Long> counts, String key) {
        counts.merge(key, 1L, Long::sum);
    }

    private static String typeOf(RecordedFrame frame) {
        return frame.getMethod() == null ? "?" : frame.getMethod().getType().getName();
    }

    private static String packageOf(RecordedFrame frame) {
        String type = typeOf(frame);
        int dot = type.lastIndexOf('.');
        return dot < 0 ? "(default)" : type.substring(0, dot);
    }

    private static String simpleName(String type) {
        int lambda = type.indexOf("$$");
        String named = lambda < 0 ? type : type.substring(0, lambda);
        return named.substring(named.lastIndexOf('.') + 1);
    }

    /** The first three segments of a package (org.springframework.security), two for the JDK's (java.util). */
    static String library(String type) {
        String[] parts = type.split("\\.");
        int keep = JDK.stream().anyMatch(type::startsWith) ? 2 : 3;
        if (type.startsWith("io.tessera.")) {
            keep = 4;
        }
        StringBuilder library = new StringBuilder();
        for (int i = 0; i < Math.min(keep, parts.length - 1); i++) {
            library.append(i == 0 ? "" : ".").append(parts[i]);
        }
        return library.length() == 0 ? type : library.toString();
    }
}
