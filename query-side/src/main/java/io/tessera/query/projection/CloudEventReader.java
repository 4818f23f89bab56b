package io.tessera.query.projection;

import io.tessera.events.EventCatalog;
import io.tessera.events.EventEnvelope;
import io.tessera.infra.signing.EventKeys;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The query side's one reader of {@code tessera.events}: turns a structured-mode CloudEvent record
 * ({@link EventEnvelope}) into a {@link ProjectedEvent}, or says why it cannot: unreadable JSON, no id, an unknown
 * type, a missing extension, or a {@code tenantid} that differs from the payload's {@code tenant_id}. The
 * projections, the cache invalidation, the live streams and the dead-letter store all read through it.
 *
 * <p>First of all, the record must be the command side's: signed with a key the query side knows
 * ({@link EventTrust}), or unsigned and written to the topic before signing began ({@link UnsignedGrace}). Anything else is
 * {@link Unverified}, whatever it claims: forged or damaged, it reaches no projection, cache and stream.
 *
 * <p>{@code sequence} and {@code position} are CloudEvents Strings of decimal digits; records published before
 * they were (JSON numbers) are still read, so a dead letter of then can be retried.
 */
@Component
public final class CloudEventReader {

    private final JsonMapper jsonMapper;
    private final EventKeys keys;
    private final UnsignedGrace grace;

    @Autowired
    CloudEventReader(JsonMapper jsonMapper, EventTrust trust, UnsignedGrace grace) {
        this(jsonMapper, trust.keys(), grace);
    }

    CloudEventReader(JsonMapper jsonMapper, EventKeys keys, UnsignedGrace grace) {
        this.keys = keys;
        this.grace = grace;
        this.jsonMapper = jsonMapper
                .rebuild()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    public sealed interface Outcome permits Readable, Unreadable, Unverified {}

    public record Readable(ProjectedEvent event) implements Outcome {}

    public record Unreadable(String reason) implements Outcome {}

    /** Not the command side's: no known key's signature holds, or unsigned after signing began. */
    public record Unverified(String reason) implements Outcome {}

    /**
     * What an unreadable record says of itself, for its dead letter: its tenant only where the envelope and the
     * payload agree on it (with the event id), its type in any case; nulls where it says nothing.
     */
    public record Claims(String tenantId, String eventId, String type) {}

    /** A record of no known place on the topic (a test's, a copy): only a signed one is believed. */
    public Outcome read(String json, Instant recordTime) {
        return read(json, recordTime, null);
    }

    /** {@code place}: where the broker put the record, which decides whether an unsigned one is still believed. */
    public Outcome read(String json, Instant recordTime, RecordPlace place) {
        JsonNode root;
        try {
            root = jsonMapper.readTree(json);
        } catch (JacksonException e) {
            return new Unreadable("not JSON");
        }
        if (root == null || !root.isObject()) {
            return new Unreadable("not a JSON object");
        }
        EventKeys.Verdict verdict = keys.verify((ObjectNode) root);
        if (verdict instanceof EventKeys.Refused refused) {
            return new Unverified(refused.reason());
        }
        if (verdict instanceof EventKeys.Unsigned) {
            OptionalLong at = counter(root, EventEnvelope.POSITION);
            String refusal = grace.refusal(place, at.orElse(Long.MAX_VALUE));
            if (refusal != null) {
                return new Unverified(refusal);
            }
        }
        String eventId = text(root, EventEnvelope.ID);
        if (eventId == null) {
            return new Unreadable("no id");
        }
        String type = text(root, EventEnvelope.TYPE);
        if (type == null) {
            return new Unreadable("no type");
        }
        Optional<Class<?>> eventClass = EventCatalog.classOf(type);
        if (eventClass.isEmpty()) {
            return new Unreadable("unknown type " + type);
        }
        String tenantId = text(root, EventEnvelope.TENANTID);
        if (tenantId == null) {
            return new Unreadable("no tenantid extension");
        }
        String subject = text(root, EventEnvelope.SUBJECT);
        if (subject == null) {
            return new Unreadable("no subject");
        }
        OptionalLong sequence = counter(root, EventEnvelope.SEQUENCE);
        OptionalLong position = counter(root, EventEnvelope.POSITION);
        if (sequence.isEmpty() || position.isEmpty()) {
            return new Unreadable("no sequence or position");
        }
        JsonNode data = root.get(EventEnvelope.DATA);
        if (data == null || !data.isObject()) {
            return new Unreadable("no data object");
        }
        if (!tenantId.equals(text(data, "tenant_id"))) {
            return new Unreadable("tenantid extension differs from data.tenant_id");
        }
        Instant time;
        try {
            String timeText = text(root, EventEnvelope.TIME);
            time = timeText == null
                    ? recordTime
                    : OffsetDateTime.parse(timeText).toInstant();
        } catch (DateTimeParseException e) {
            return new Unreadable("time is not RFC 3339");
        }
        Instant legacyCreatedAt = null;
        String legacyCreatedAtText = text(root, EventEnvelope.LEGACYCREATEDAT);
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
                sequence.getAsLong(),
                position.getAsLong(),
                time,
                payload,
                eventId,
                type,
                text(root, EventEnvelope.ACTOR),
                text(root, EventEnvelope.COMMANDID),
                data.toString(),
                legacyCreatedAt,
                json));
    }

    public Claims claims(String json) {
        try {
            JsonNode root = jsonMapper.readTree(json);
            if (root == null || !root.isObject()) {
                return new Claims(null, null, null);
            }
            String claimed = text(root, EventEnvelope.TENANTID);
            JsonNode data = root.get(EventEnvelope.DATA);
            boolean agreed = claimed != null && data != null && claimed.equals(text(data, "tenant_id"));
            return new Claims(
                    agreed ? claimed : null,
                    agreed ? text(root, EventEnvelope.ID) : null,
                    text(root, EventEnvelope.TYPE));
        } catch (JacksonException notJson) {
            return new Claims(null, null, null);
        }
    }

    /**
     * The typed payload of an event as the event log keeps it (its type and its data as published), for a
     * rebuild's replay, upcast to its current shape; empty when the type is unknown or the data does not fit it.
     */
    public Optional<Object> payload(String type, String dataJson) {
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

    private static OptionalLong counter(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            return OptionalLong.empty();
        }
        if (value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0) {
            return OptionalLong.of(value.longValue());
        }
        return value.isString() ? EventEnvelope.parseCounter(value.asString()) : OptionalLong.empty();
    }
}
