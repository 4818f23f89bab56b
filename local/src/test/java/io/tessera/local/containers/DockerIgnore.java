package io.tessera.local.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of a {@code .dockerignore} as docker build applies them: a path is left out when the last rule that
 * matches it or one of its parent folders is not an exception ({@code !}); {@code *} and {@code ?} stay within a
 * name, {@code **} spans any number of folders, none included.
 */
record DockerIgnore(List<Rule> rules) {

    record Rule(Pattern pattern, boolean exception) {}

    static DockerIgnore of(Path file) throws IOException {
        List<Rule> rules = new ArrayList<>();
        if (!Files.exists(file)) {
            return new DockerIgnore(rules);
        }
        for (String line : Files.readAllLines(file)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            boolean exception = text.startsWith("!");
            String pattern = clean(exception ? text.substring(1).strip() : text);
            if (!pattern.isEmpty()) {
                rules.add(new Rule(Pattern.compile(regex(pattern)), exception));
            }
        }
        return new DockerIgnore(List.copyOf(rules));
    }

    boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::exception);
    }

    /** Whether docker build leaves out this path, relative to the context and with '/' between names. */
    boolean excludes(String path) {
        boolean excluded = false;
        for (Rule rule : rules) {
            if (matchesItOrAParent(rule.pattern(), path)) {
                excluded = !rule.exception();
            }
        }
        return excluded;
    }

    private static boolean matchesItOrAParent(Pattern pattern, String path) {
        String candidate = path;
        while (true) {
            if (pattern.matcher(candidate).matches()) {
                return true;
            }
            int slash = candidate.lastIndexOf('/');
            if (slash < 0) {
                return false;
            }
            candidate = candidate.substring(0, slash);
        }
    }

    private static String clean(String pattern) {
        String cleaned = pattern.replaceAll("/+", "/");
        while (cleaned.startsWith("/") || cleaned.startsWith("./")) {
            cleaned = cleaned.substring(cleaned.startsWith("/") ? 1 : 2);
        }
        while (cleaned.endsWith("/")) {
            cleaned = cleaned.substring(0, cleaned.length() - 1);
        }
        return cleaned;
    }

    private static String regex(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (pattern.startsWith("**/", i)) {
                regex.append("(?:.*/)?");
                i += 2;
            } else if (pattern.startsWith("**", i)) {
                regex.append(".*");
                i += 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
