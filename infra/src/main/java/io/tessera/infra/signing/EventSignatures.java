package io.tessera.infra.signing;

import io.tessera.events.EventEnvelope;
import java.io.IOException;
import org.erdtman.jcs.JsonCanonicalizer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an event's signature covers: the UTF-8 of the RFC 8785 (JCS) canonical JSON of the CloudEvent without its
 * two signature extensions ({@link EventEnvelope#KEYID}, {@link EventEnvelope#SIGNATURE}), its position included.
 * Key order, whitespace and the spelling of numbers in the record do not matter; every attribute and every value
 * does. Signer and verifiers all come here, so they cannot disagree on the form.
 */
public final class EventSignatures {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EventSignatures() {}

    /** The record as a JSON object; an {@link IllegalArgumentException} for anything else. */
    public static ObjectNode parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return (ObjectNode) root;
    }

    public static byte[] signedContent(String envelopeJson) {
        return signedContent(parse(envelopeJson));
    }

    public static byte[] signedContent(ObjectNode envelope) {
        ObjectNode unsigned = envelope.deepCopy();
        unsigned.remove(EventEnvelope.KEYID);
        unsigned.remove(EventEnvelope.SIGNATURE);
        try {
            return new JsonCanonicalizer(JSON.writeValueAsString(unsigned)).getEncodedUTF8();
        } catch (IOException | RuntimeException e) {
            // JCS refuses what I-JSON refuses, numbers beyond a double among them.
            throw new IllegalArgumentException("no RFC 8785 canonical form: " + e.getMessage());
        }
    }
}
