package io.tessera.infra.logging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks e-mail addresses, bearer tokens and JWTs, and values of secret-looking keys. */
public final class PiiMasker {

    private record Rule(Pattern pattern, String replacement) {}

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*\\.?[A-Za-z0-9_-]*"), "[jwt]"),
            new Rule(Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+"), "$1[masked]"),
            new Rule(
                    Pattern.compile(
                            "(?i)(\"?(?:password|passwd|secret|token|refresh_token|access_token|api[_-]?key|authorization)\"?\\s*[:=]\\s*\"?)[^\"\\s,}&]+"),
                    "$1[masked]"),
            new Rule(
                    Pattern.compile("([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+\\.)+[A-Za-z]{2,}"),
                    "$1***@[masked]"));

    private PiiMasker() {}

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (Rule rule : RULES) {
            Matcher matcher = rule.pattern().matcher(masked);
            if (matcher.find()) {
                masked = matcher.replaceAll(rule.replacement());
            }
        }
        return masked;
    }
}
