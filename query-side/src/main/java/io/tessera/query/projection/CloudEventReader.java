package io.tessera.query.projection;

import io.tessera.events.EventCatalog;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one structured-mode CloudEvent record of {@code tessera.events} into a {@link ProjectedEvent},
 * or says why it cannot: unreadable JSON, no id, an unknown type, a missing extension, or a {@code tenantid}
 * that differs from the payload's {@code tenant_id}.
 */
final class CloudEventReader {

    private final JsonMapper jsonMapper;

    CloudEventReader(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper
                .rebuild()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    sealed interface Outcome permits Readable, Unreadable {}

    record Readable(ProjectedEvent event) implements Outcome {}

    record Unreadable(String reason) implements Outcome {}

    Outcome read(String json, Instant recordTime) {
        JsonNode root;
        try {
            root = jsonMapper.readTree(json);
        } catch (JacksonException e) {
            return new Unreadable("not JSON");
        }
        if (root == null || !root.isObject()) {
            return new Unreadable("not a JSON object");
        }
        String eventId = text(root, "id");
        if (eventId == null) {
            return new Unreadable("no id");
        }
        String type = text(root, "type");
        if (type == null) {
            return new Unreadable("no type");
        }
        Optional<Class<?>> eventClass = EventCatalog.classOf(type);
        if (eventClass.isEmpty()) {
            return new Unreadable("unknown type " + type);
        }
        String tenantId = text(root, "tenantid");
        if (tenantId == null) {
            return new Unreadable("no tenantid extension");
        }
        String subject = text(root, "subject");
        if (subject == null) {
            return new Unreadable("no subject");
        }
        Long sequence = number(root, "sequence");
        Long position = number(root, "position");
        if (sequence == null || position == null) {
            return new Unreadable("no sequence or position");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            return new Unreadable("no data object");
        }
        if (!tenantId.equals(text(data, "tenant_id"))) {
            return new Unreadable("tenantid extension differs from data.tenant_id");
        }
        Instant time;
        try {
            String timeText = text(root, "time");
            time = timeText == null
                    ? recordTime
                    : OffsetDateTime.parse(timeText).toInstant();
        } catch (DateTimeParseException e) {
            return new Unreadable("time is not RFC 3339");
        }
        Instant legacyCreatedAt = null;
        String legacyCreatedAtText = text(root, "legacycreatedat");
        if (legacyCreatedAtText != null) {
            try {
                legacyCreatedAt = OffsetDateTime.parse(legacyCreatedAtText).toInstant();
            } catch (DateTimeParseException e) {
                return new Unreadable("legacycreatedat is not RFC 3339");
            }
        }
        Object payload;
        try {
            // An older version is read in its own shape and upcast: projections see current records only.
            payload = EventCatalog.upcast(jsonMapper.treeToValue(data, eventClass.get()));
        } catch (JacksonException | IllegalArgumentException e) {
            return new Unreadable("data does not fit " + type);
        }
        return new Readable(new ProjectedEvent(
                tenantId,
                subject,
                sequence,
                position,
                time,
                payload,
                eventId,
                type,
                text(root, "actor"),
                text(root, "commandid"),
                data.toString(),
                legacyCreatedAt));
    }

    /**
     * The typed payload of an event as the event log keeps it (its type and its data as published), for a
     * rebuild's replay, upcast to its current shape; empty when the type is unknown or the data does not fit it.
     */
    Optional<Object> payload(String type, String dataJson) {
        Optional<Class<?>> eventClass = EventCatalog.classOf(type);
        if (eventClass.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventCatalog.upcast(jsonMapper.readValue(dataJson, eventClass.get())));
        } catch (JacksonException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() && !value.asString().isBlank() ? value.asString() : null;
    }

    private static Long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        return Optional.ofNullable(text(node, field))
                .filter(s -> s.matches("-?[0-9]{1,18}"))
                .map(Long::valueOf)
                .orElse(null);
    }
}
