package io.tessera.local;

import io.tessera.events.EventEnvelope;
import io.tessera.infra.signing.EventKeys;
import io.tessera.query.projection.LoggedEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code verify}: checks an export of {@code ./tessera replay} offline, with the command side's public keys alone:
 * every event's CloudEvent signature (and that the logged event is the signed one), and the tenant's audit hash
 * chain (each entry links to the one before, and its hash is that of its content, as the query side computes it:
 * io.tessera.query.audit.AuditChain). Unsigned events pass only up to {@code --unsigned-until}.
 */
final class VerifyCommand {

    static final String USAGE = """
            ./tessera verify FILE [--keys ID=BASE64[,ID=BASE64...]] [--unsigned-until POS] [--tenant ID]
                Checks an export of ./tessera replay offline: every event's signature with the command side's
                public keys (default: $TESSERA_EVENTS_PUBLIC_KEYS, else the key ./tessera run keeps in .tessera)
                and the tenant's audit hash chain. Exit 0 when everything holds, 1 with the first problems.""";

    private static final String GENESIS = "0".repeat(64);
    private static final int MAX_PROBLEMS = 20;
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final Map<String, String> env;
    private final Path home;
    private final PrintStream out;

    VerifyCommand(Map<String, String> env, Path home, PrintStream out) {
        this.env = env;
        this.home = home;
        this.out = out;
    }

    int execute(List<String> args) {
        if (args.isEmpty() || args.get(0).startsWith("--")) {
            throw new UsageException("verify needs the FILE of an export (./tessera replay --to-file FILE)");
        }
        Path file = Path.of(args.get(0));
        Arguments arguments = Arguments.parse(
                "verify", args.subList(1, args.size()), Set.of("keys", "unsigned-until", "tenant"), Set.of());
        EventKeys keys;
        try {
            keys = EventKeys.parse(arguments.value("keys").orElseGet(this::configuredKeys));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--keys: " + e.getMessage());
        }
        long unsignedUntil =
                arguments.value("unsigned-until").map(VerifyCommand::position).orElse(-1L);
        Report report =
                verify(file, keys, unsignedUntil, arguments.value("tenant").orElse(null));
        report.problems().forEach(problem -> out.println("FAILED " + problem));
        out.println((report.problems().isEmpty() ? "OK " : "FAILED ") + report.events() + " events, "
                + report.signed() + " signed (keys " + String.join(", ", keys.ids()) + "), " + report.unsigned()
                + " unsigned up to position " + unsignedUntil + ", chain of " + report.chained() + " links"
                + (report.problems().isEmpty()
                        ? " holds"
                        : ": " + report.problems().size() + " problems"));
        return report.problems().isEmpty() ? 0 : 1;
    }

    private String configuredKeys() {
        String fromEnvironment = env.get("TESSERA_EVENTS_PUBLIC_KEYS");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        if (Files.isRegularFile(home.resolve(LocalSigningKey.FILE_NAME))) {
            return LocalSigningKey.findOrCreate(Map.of(), home).publicKeys();
        }
        throw new UsageException("No public keys: --keys ID=BASE64, or TESSERA_EVENTS_PUBLIC_KEYS");
    }

    record Report(long events, long signed, long unsigned, long chained, List<String> problems) {}

    static Report verify(Path file, EventKeys keys, long unsignedUntil, String tenant) {
        List<String> problems = new ArrayList<>();
        long events = 0;
        long signed = 0;
        long unsigned = 0;
        long chained = 0;
        String tenantId = tenant;
        String previousHash = null;
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null && problems.size() < MAX_PROBLEMS) {
                if (line.isBlank()) {
                    continue;
                }
                events++;
                String where = "line " + events;
                JsonNode event;
                try {
                    event = JSON.readTree(line);
                } catch (JacksonException e) {
                    problems.add(where + ": not JSON");
                    continue;
                }
                long position = event.path("position").asLong(-1);
                where = where + " (position " + position + ")";
                JsonNode cloudEvent = event.get("cloudevent");
                if (cloudEvent == null || !cloudEvent.isObject()) {
                    if (position >= 0 && position <= unsignedUntil) {
                        unsigned++;
                    } else {
                        problems.add(where + ": no signed CloudEvent, after the last unsigned position");
                    }
                } else {
                    EventKeys.Verdict verdict = keys.verify((ObjectNode) cloudEvent);
                    if (verdict instanceof EventKeys.Refused refused) {
                        problems.add(where + ": " + refused.reason());
                    } else if (verdict instanceof EventKeys.Unsigned && position > unsignedUntil) {
                        problems.add(where + ": unsigned, after the last unsigned position");
                    } else {
                        if (verdict instanceof EventKeys.Verified) {
                            signed++;
                        } else {
                            unsigned++;
                        }
                        String claimed = text(cloudEvent, EventEnvelope.TENANTID);
                        tenantId = tenantId == null ? claimed : tenantId;
                        String mismatch = mismatch(event, cloudEvent, tenantId);
                        if (mismatch != null) {
                            problems.add(where + ": the logged event is not the signed one (" + mismatch + ")");
                        }
                    }
                }
                String hash = text(event, "hash");
                String linked = text(event, "previous_hash");
                if (hash == null || linked == null) {
                    problems.add(where + ": not in the audit chain (no hash)");
                    continue;
                }
                if (previousHash != null && !previousHash.equals(linked)) {
                    problems.add(where + ": previous_hash is not the hash of the entry before (removed, inserted or"
                            + " reordered)");
                } else if (previousHash == null && position <= 1 && !GENESIS.equals(linked)) {
                    problems.add(where + ": the first entry does not start the chain");
                }
                if (tenantId == null) {
                    problems.add(where + ": tenant unknown (no signed event yet): give --tenant");
                } else if (!hash(event, tenantId, linked).equals(hash)) {
                    problems.add(where + ": hash does not match the entry (edited)");
                }
                previousHash = hash;
                chained++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
        return new Report(events, signed, unsigned, chained, problems);
    }

    /** The first field in which the logged event differs from its signed CloudEvent, or null. */
    private static String mismatch(JsonNode event, JsonNode cloudEvent, String tenantId) {
        OptionalLong position = EventEnvelope.parseCounter(text(cloudEvent, EventEnvelope.POSITION));
        OptionalLong sequence = EventEnvelope.parseCounter(text(cloudEvent, EventEnvelope.SEQUENCE));
        if (position.isEmpty() || position.getAsLong() != event.path("position").asLong(-1)) {
            return "position";
        }
        if (sequence.isEmpty() || sequence.getAsLong() != event.path("sequence").asLong(-1)) {
            return "sequence";
        }
        for (String[] pair : new String[][] {
            {"id", EventEnvelope.ID},
            {"type", EventEnvelope.TYPE},
            {"subject", EventEnvelope.SUBJECT},
            {"actor", EventEnvelope.ACTOR},
            {"command_id", EventEnvelope.COMMANDID}
        }) {
            if (!Objects.equals(text(event, pair[0]), text(cloudEvent, pair[1]))) {
                return pair[0];
            }
        }
        if (!Objects.equals(tenantId, text(cloudEvent, EventEnvelope.TENANTID))) {
            return "tenant";
        }
        if (!event.path("data").equals(cloudEvent.path(EventEnvelope.DATA))) {
            return "data";
        }
        Instant logged = Instant.parse(event.path("time").asString());
        Instant published = Instant.parse(cloudEvent.path(EventEnvelope.TIME).asString());
        // The log keeps microseconds (PostgreSQL's timestamptz).
        return logged.equals(published.truncatedTo(java.time.temporal.ChronoUnit.MICROS)) ? null : "time";
    }

    /** The audit chain's hash of an entry, computed as the query side computes it, over the export. */
    static String hash(JsonNode event, String tenantId, String previousHash) {
        LoggedEvent row = new LoggedEvent(
                tenantId,
                event.path("position").asLong(),
                text(event, "id"),
                text(event, "type"),
                text(event, "subject"),
                event.path("sequence").asLong(),
                Instant.parse(event.path("time").asString()),
                text(event, "actor"),
                text(event, "command_id"),
                jsonbText(event.path("data")),
                null,
                previousHash,
                null,
                null);
        return row.chainHash(previousHash);
    }

    /**
     * A JSON value as PostgreSQL prints a jsonb (the text the chain hashes): object keys shorter first, then by
     * their bytes; ", " and ": " between; numbers in plain notation; strings escaped as jsonb does.
     */
    static String jsonbText(JsonNode value) {
        StringBuilder text = new StringBuilder();
        appendJsonb(value, text);
        return text.toString();
    }

    private static void appendJsonb(JsonNode value, StringBuilder text) {
        if (value.isObject()) {
            List<String> names = new ArrayList<>(value.propertyNames());
            names.sort(Comparator.comparingInt((String name) -> name.getBytes(StandardCharsets.UTF_8).length)
                    .thenComparing(VerifyCommand::compareBytes));
            text.append('{');
            for (int i = 0; i < names.size(); i++) {
                text.append(i == 0 ? "" : ", ");
                appendString(names.get(i), text);
                text.append(": ");
                appendJsonb(value.get(names.get(i)), text);
            }
            text.append('}');
        } else if (value.isArray()) {
            text.append('[');
            for (int i = 0; i < value.size(); i++) {
                text.append(i == 0 ? "" : ", ");
                appendJsonb(value.get(i), text);
            }
            text.append(']');
        } else if (value.isString()) {
            appendString(value.asString(), text);
        } else if (value.isNumber()) {
            text.append(value.isIntegralNumber() ? value.bigIntegerValue().toString() : plain(value.decimalValue()));
        } else {
            text.append(value.isNull() || value.isMissingNode() ? "null" : value.asString());
        }
    }

    private static String plain(BigDecimal number) {
        return number.toPlainString();
    }

    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static void appendString(String value, StringBuilder text) {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\b' -> text.append("\\b");
                case '\f' -> text.append("\\f");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (c < 0x20) {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    private static long position(String text) {
        try {
            long position = Long.parseLong(text.strip());
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new UsageException("--unsigned-until takes a position, a whole number from 0 on");
    }
}
