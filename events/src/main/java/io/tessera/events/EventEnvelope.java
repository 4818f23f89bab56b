package io.tessera.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One record of {@code tessera.events}: a CloudEvents 1.0 event in the JSON format, sent in the Kafka binding's
 * structured mode ({@link #KAFKA_CONTENT_TYPE_HEADER} {@link #STRUCTURED_CONTENT_TYPE}). The command side writes
 * it, every reader reads it by the names fixed here.
 *
 * <p>Extension values are typed by the CloudEvents type system, whose Integer is 32-bit: the global
 * {@code position} (64-bit) travels as a decimal String, and {@code sequence} as the String the sequence
 * extension asks for, "lexicographically-orderable": zero-padded to {@link #SEQUENCE_DIGITS} digits, so that
 * the tenth event of an aggregate sorts after the ninth. {@code importmode} is a Boolean, {@code legacycreatedat}
 * an RFC 3339 Timestamp string. Every event is signed by the command side ({@link #KEYID}, {@link #SIGNATURE}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    EventEnvelope.SPECVERSION,
    EventEnvelope.ID,
    EventEnvelope.SOURCE,
    EventEnvelope.TYPE,
    EventEnvelope.TIME,
    EventEnvelope.SUBJECT,
    EventEnvelope.DATACONTENTTYPE,
    EventEnvelope.DATA,
    EventEnvelope.TENANTID,
    EventEnvelope.SEQUENCE,
    EventEnvelope.POSITION,
    EventEnvelope.ACTOR,
    EventEnvelope.COMMANDID,
    EventEnvelope.IMPORTMODE,
    EventEnvelope.LEGACYCREATEDAT,
    EventEnvelope.KEYID,
    EventEnvelope.SIGNATURE
})
public record EventEnvelope(
        @JsonProperty(SPECVERSION) String specVersion,
        @JsonProperty(ID) String id,
        @JsonProperty(SOURCE) String source,
        @JsonProperty(TYPE) String type,
        @JsonProperty(TIME) String time,
        @JsonProperty(SUBJECT) String subject,
        @JsonProperty(DATACONTENTTYPE) String dataContentType,
        @JsonProperty(DATA) Map<String, Object> data,
        @JsonProperty(TENANTID) String tenantId,
        @JsonProperty(SEQUENCE) String sequence,
        @JsonProperty(POSITION) String position,
        @JsonProperty(ACTOR) String actor,
        @JsonProperty(COMMANDID) String commandId,
        @JsonProperty(IMPORTMODE) Boolean importMode,
        @JsonProperty(LEGACYCREATEDAT) String legacyCreatedAt,
        @JsonProperty(KEYID) String keyId,
        @JsonProperty(SIGNATURE) String signature) {

    // Context attributes of CloudEvents 1.0.
    public static final String SPECVERSION = "specversion";
    public static final String ID = "id";
    public static final String SOURCE = "source";
    public static final String TYPE = "type";
    public static final String TIME = "time";
    public static final String SUBJECT = "subject";
    public static final String DATACONTENTTYPE = "datacontenttype";
    public static final String DATA = "data";

    // Tessera's extensions.
    /** The tenant; equal to {@code data.tenant_id}. */
    public static final String TENANTID = "tenantid";
    /** The event's place in its aggregate's stream (0 for an event of no aggregate), zero-padded. */
    public static final String SEQUENCE = "sequence";
    /** The event's global position in the command side's event store, a decimal string. */
    public static final String POSITION = "position";
    /** Who caused the event (the token's subject). */
    public static final String ACTOR = "actor";
    /** The command that caused the event. */
    public static final String COMMANDID = "commandid";
    /** True for an event of a legacy import; absent otherwise. */
    public static final String IMPORTMODE = "importmode";
    /** An imported resource's creation time in the old system; absent otherwise. */
    public static final String LEGACYCREATEDAT = "legacycreatedat";
    /** The id of the command side's key that signed the event (readers know public keys by id). */
    public static final String KEYID = "keyid";
    /**
     * The Ed25519 signature (CloudEvents Binary: base64) over the RFC 8785 canonical JSON of the event without
     * {@code keyid} and {@code signature}: every other attribute, extension and the data, position included.
     */
    public static final String SIGNATURE = "signature";

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";
    public static final String KAFKA_CONTENT_TYPE_HEADER = "content-type";
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";
    public static final int SEQUENCE_DIGITS = 19;

    /** A new event of the command side, before its position is known. */
    public static EventEnvelope of(
            String id,
            String type,
            String time,
            String subject,
            Map<String, Object> data,
            String tenantId,
            long sequence,
            String actor,
            String commandId) {
        return new EventEnvelope(
                SPEC_VERSION,
                id,
                EventCatalog.SOURCE,
                type,
                time,
                subject,
                JSON,
                data,
                tenantId,
                sequenceText(sequence),
                null,
                actor,
                commandId,
                null,
                null,
                null,
                null);
    }

    /** The same event, marked as imported, with its creation time in the old system when there is one. */
    public EventEnvelope imported(String legacyCreatedAtInOldSystem) {
        return copy(position, true, legacyCreatedAtInOldSystem, keyId, signature);
    }

    /** The same event at its global position, once the event store has given it one; unsigned, as it changed. */
    public EventEnvelope at(long globalPosition) {
        return copy(Long.toString(globalPosition), importMode, legacyCreatedAt, null, null);
    }

    /** The same event signed: the signature covers everything else, so it comes last. */
    public EventEnvelope signed(String signingKeyId, String signatureBase64) {
        return copy(position, importMode, legacyCreatedAt, signingKeyId, signatureBase64);
    }

    private EventEnvelope copy(
            String newPosition,
            Boolean newImportMode,
            String newLegacyCreatedAt,
            String newKeyId,
            String newSignature) {
        return new EventEnvelope(
                specVersion,
                id,
                source,
                type,
                time,
                subject,
                dataContentType,
                data,
                tenantId,
                sequence,
                newPosition,
                actor,
                commandId,
                newImportMode,
                newLegacyCreatedAt,
                newKeyId,
                newSignature);
    }

    /** The sequence extension's value for an aggregate sequence number. */
    public static String sequenceText(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("A sequence is never negative: " + sequence);
        }
        String digits = Long.toString(sequence);
        return "0".repeat(SEQUENCE_DIGITS - digits.length()) + digits;
    }

    /**
     * A sequence or position as sent: decimal digits only (no sign, no exponent, at most 19), within a long; else
     * empty. Readers accept nothing looser, so one event has one spelling.
     */
    public static java.util.OptionalLong parseCounter(String text) {
        if (text == null
                || text.isEmpty()
                || text.length() > SEQUENCE_DIGITS
                || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return java.util.OptionalLong.empty();
        }
        try {
            return java.util.OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException tooLarge) {
            return java.util.OptionalLong.empty();
        }
    }

    @JsonIgnore
    public long positionValue() {
        return parseCounter(position).orElseThrow(() -> new IllegalStateException("No position: " + position));
    }
}
