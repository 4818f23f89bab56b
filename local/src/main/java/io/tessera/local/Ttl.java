package io.tessera.local;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A token lifetime as an operator types it: {@code 90s}, {@code 30m}, {@code 1h}, {@code 24h}, {@code 7d}. */
final class Ttl {

    private static final Pattern FORMAT = Pattern.compile("([1-9][0-9]{0,5})([smhd])");

    private Ttl() {}

    static Duration parse(String text) {
        Matcher matcher = FORMAT.matcher(text.trim());
        if (!matcher.matches()) {
            throw new UsageException("--ttl '" + text + "' is not a lifetime like 30m, 1h, 24h or 7d");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
