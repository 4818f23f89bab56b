package io.tessera.infra.observability;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A short, stable name for a SQL statement, for logs and the {@code statement} tag: its verb and the first
 * table (or, for a bare {@code SELECT f(...)}, the function) it names, e.g. {@code select deployments},
 * {@code insert domain_event_entry}, {@code select pg_advisory_xact_lock}. Our SQL comes from code, so the
 * names are few; past {@link #MAX_NAMES} distinct ones, further names are {@code other}.
 */
final class StatementNames {

    static final int MAX_NAMES = 300;

    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|--[^\\n]*", Pattern.DOTALL);
    private static final Pattern VERB = Pattern.compile("^\\s*\\(?\\s*([a-z]+)");
    private static final Pattern TABLE =
            Pattern.compile("\\b(?:from|into|update|join|table)\\s+(?:only\\s+)?\"?([a-z_][a-z0-9_$.\"]*)");
    private static final Pattern FUNCTION = Pattern.compile("^\\s*select\\s+([a-z_][a-z0-9_.]*)\\s*\\(");

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    String nameOf(String sql) {
        if (sql == null || sql.isBlank()) {
            return "unknown";
        }
        String text = COMMENTS.matcher(sql.toLowerCase(Locale.ROOT)).replaceAll(" ");
        Matcher verb = VERB.matcher(text);
        String name = verb.find() ? verb.group(1) : "unknown";
        Matcher function = FUNCTION.matcher(text);
        Matcher table = TABLE.matcher(text);
        if ("select".equals(name) && function.find() && !function.group(1).equals("count")) {
            name += " " + function.group(1);
        } else if (table.find()) {
            String target = table.group(1).replace("\"", "");
            name += " " + target.substring(target.lastIndexOf('.') + 1);
        }
        return bounded(name);
    }

    private String bounded(String name) {
        if (known.contains(name)) {
            return name;
        }
        synchronized (known) {
            if (known.size() < MAX_NAMES) {
                known.add(name);
                return name;
            }
            return known.contains(name) ? name : "other";
        }
    }
}
