package io.tessera.local;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a value of the old single-tenant schema becomes a value of Tessera's contract. The same rules feed
 * the import and the reconciliation, so what is compared is what was meant to be stored. Statuses and
 * roles are matched case- and space-insensitively, with the old system's synonyms; a value no rule knows
 * is not guessed: the row is reported and counts as a mismatch.
 */
final class LegacyMapping {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Map<String, String> DEPLOYMENT_STATUSES = Map.ofEntries(
            Map.entry("pending", "pending"),
            Map.entry("queued", "pending"),
            Map.entry("new", "pending"),
            Map.entry("building", "building"),
            Map.entry("in_progress", "building"),
            Map.entry("deploying", "building"),
            Map.entry("active", "active"),
            Map.entry("success", "active"),
            Map.entry("succeeded", "active"),
            Map.entry("live", "active"),
            Map.entry("failed", "failed"),
            Map.entry("error", "failed"),
            Map.entry("errored", "failed"),
            Map.entry("cancelled", "cancelled"),
            Map.entry("canceled", "cancelled"),
            Map.entry("aborted", "cancelled"));

    private static final Map<String, String> WORKFLOW_STATUSES = Map.of(
            "draft", "draft",
            "active", "active",
            "enabled", "active",
            "paused", "paused",
            "disabled", "paused",
            "archived", "archived");

    private static final Map<String, String> ROLES = Map.of(
            "viewer", "viewer",
            "readonly", "viewer",
            "editor", "editor",
            "member", "editor",
            "admin", "admin",
            "owner", "admin",
            "auditor", "auditor");

    private LegacyMapping() {}

    static Optional<String> deploymentStatus(String legacy) {
        return lookUp(DEPLOYMENT_STATUSES, legacy);
    }

    static Optional<String> workflowStatus(String legacy) {
        return lookUp(WORKFLOW_STATUSES, legacy);
    }

    static Optional<String> role(String legacy) {
        return lookUp(ROLES, legacy);
    }

    /** Empty, "n/a" and "-" meant "no URL"; a bare host got https in front, as the old UI did when linking. */
    static String url(String legacy) {
        if (legacy == null) {
            return null;
        }
        String url = legacy.trim();
        if (url.isEmpty() || url.equalsIgnoreCase("n/a") || url.equals("-")) {
            return null;
        }
        return url.contains("://") ? url : "https://" + url;
    }

    static String email(String legacy) {
        return legacy == null ? null : legacy.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * A workflow config: no text is the empty object; a JSON object is kept as it is; other JSON (an array, a
     * number) is kept under {@code legacy_config}; text that is not JSON under {@code legacy_config_text}.
     */
    static Map<String, Object> config(String legacy) {
        if (legacy == null || legacy.isBlank()) {
            return Map.of();
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(legacy);
        } catch (JacksonException notJson) {
            return Map.of("legacy_config_text", legacy);
        }
        if (parsed.isObject()) {
            return JSON.convertValue(parsed, LinkedHashMap.class);
        }
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("legacy_config", JSON.convertValue(parsed, Object.class));
        return wrapped;
    }

    /** A TIMESTAMP without zone is UTC (the old system's convention); an INTEGER is epoch seconds. */
    static Instant instant(Object legacy) {
        if (legacy instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (legacy instanceof LocalDateTime local) {
            return local.toInstant(ZoneOffset.UTC);
        }
        if (legacy instanceof Timestamp timestamp) {
            return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
        }
        if (legacy instanceof Number epochSeconds) {
            return Instant.ofEpochSecond(epochSeconds.longValue());
        }
        if (legacy instanceof String text) {
            return OffsetDateTime.parse(text.trim()).toInstant();
        }
        throw new IllegalArgumentException("not a time: " + legacy);
    }

    private static Optional<String> lookUp(Map<String, String> table, String legacy) {
        return legacy == null
                ? Optional.empty()
                : Optional.ofNullable(table.get(legacy.trim().toLowerCase(Locale.ROOT)));
    }
}
