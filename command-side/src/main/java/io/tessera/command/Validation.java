package io.tessera.command;

import io.tessera.infra.web.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Input rules shared by the intake (which names every failing field in a 400) and the aggregates (which
 * apply them again, so no path around the intake can store an invalid event). Each check answers the
 * problem as {@code field: reason}, or null when the value is fine.
 */
public final class Validation {

    public static final int MAX_NAME = 200;
    public static final int MAX_URL = 2048;
    public static final int MAX_CONFIG_BYTES = 64 * 1024;
    public static final int MAX_QUOTA = 1_000_000;
    /** The largest integer a JSON number keeps exactly everywhere (I-JSON, RFC 7493). */
    public static final long MAX_EXACT_INTEGER = 1L << 53;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private Validation() {}

    public static String name(String field, String value) {
        if (value == null || value.isBlank()) {
            return field + ": required";
        }
        if (value.length() > MAX_NAME) {
            return field + ": at most " + MAX_NAME + " characters";
        }
        return printable(value) ? null : field + ": no control characters or unpaired surrogates";
    }

    /**
     * No control character (U+0000-U+001F, U+007F) and no unpaired surrogate. PostgreSQL refuses a NUL in
     * text and jsonb, so such a value would be stored in the event store and then refused by every read
     * table: lost from the read model.
     */
    public static boolean printable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Like {@link #printable} for JSON text anywhere in a config: tabs and newlines are fine, NUL is not. */
    private static boolean storable(Object value) {
        if (value instanceof String text) {
            return printable(text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' '));
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!storable(String.valueOf(entry.getKey())) || !storable(entry.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof Iterable<?> values) {
            for (Object element : values) {
                if (!storable(element)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof Double number) {
            return Double.isFinite(number);
        }
        // Events are signed over RFC 8785 JSON, whose numbers are IEEE doubles: an integer beyond 2^53 would lose
        // digits there, and one beyond a double's range could not be signed (nor published) at all.
        if (value instanceof Long number) {
            return Math.abs(number) <= MAX_EXACT_INTEGER;
        }
        if (value instanceof java.math.BigInteger number) {
            return number.abs().compareTo(java.math.BigInteger.valueOf(MAX_EXACT_INTEGER)) <= 0;
        }
        if (value instanceof java.math.BigDecimal number) {
            return Double.isFinite(number.doubleValue());
        }
        if (value instanceof Float number) {
            return Float.isFinite(number);
        }
        return true;
    }

    public static String optionalUrl(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_URL) {
            return field + ": at most " + MAX_URL + " characters";
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                return field + ": must be an http or https URL";
            }
            return null;
        } catch (URISyntaxException e) {
            return field + ": must be an http or https URL";
        }
    }

    public static String config(String field, Map<String, Object> value) {
        if (value == null) {
            return field + ": required, a JSON object";
        }
        if (Json.sizeInBytes(value) > MAX_CONFIG_BYTES) {
            return field + ": at most " + MAX_CONFIG_BYTES + " bytes of JSON";
        }
        return storable(value)
                ? null
                : field + ": no NUL characters, unpaired surrogates, non-finite numbers or integers beyond 2^53";
    }

    public static String email(String field, String value) {
        if (value == null || value.isBlank()) {
            return field + ": required";
        }
        return value.length() > 254
                        || !printable(value)
                        || !EMAIL.matcher(value).matches()
                ? field + ": not an email address"
                : null;
    }

    public static String slug(String field, String value) {
        if (value == null || value.isBlank()) {
            return field + ": required";
        }
        return SLUG.matcher(value).matches() ? null : field + ": lower-case letters, digits and dashes, at most 63";
    }

    public static String quota(String field, int value) {
        return value < 0 || value > MAX_QUOTA ? field + ": between 0 and " + MAX_QUOTA : null;
    }

    public static List<String> problems(String... checks) {
        List<String> problems = new ArrayList<>();
        for (String check : checks) {
            if (check != null) {
                problems.add(check);
            }
        }
        return problems;
    }

    /** For the intake: every problem in one 400, if there is any. */
    public static void failOn(List<String> problems) {
        if (!problems.isEmpty()) {
            throw ApiException.validation("The request is not valid", problems);
        }
    }

    /**
     * The constant whose JSON name {@code value} is, or null when {@code value} is null; any other name adds the
     * problem, which lists the names, and answers null.
     */
    public static <E extends Enum<E>> E optionalOneOf(
            String field, String value, E[] constants, Function<E, String> jsonName, List<String> problems) {
        if (value == null) {
            return null;
        }
        for (E constant : constants) {
            if (jsonName.apply(constant).equals(value)) {
                return constant;
            }
        }
        problems.add(
                field + ": one of " + Arrays.stream(constants).map(jsonName).collect(Collectors.joining(", ")));
        return null;
    }

    /** For the aggregates: the first problem, as a rejection. */
    public static void require(String... checks) throws CommandRejectedException {
        List<String> problems = problems(checks);
        if (!problems.isEmpty()) {
            throw CommandRejectedException.invalid(String.join("; ", problems));
        }
    }

    public static boolean sameTenant(String expected, String actual) {
        return expected != null && Objects.equals(expected, actual);
    }
}
