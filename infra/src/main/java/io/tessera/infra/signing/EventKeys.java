package io.tessera.infra.signing;

import io.tessera.events.EventEnvelope;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The public keys a reader trusts, by key id; several at once, so that a key can be rotated: the command side signs
 * with the new key while readers still know the old one. Configured as {@code id=base64[,id=base64...]}.
 */
public final class EventKeys {

    private final Map<String, PublicKey> keys;

    private EventKeys(Map<String, PublicKey> keys) {
        this.keys = Map.copyOf(keys);
    }

    public static EventKeys of(Map<String, PublicKey> keys) {
        return new EventKeys(keys);
    }

    /** {@code id=base64,id=base64}; blank: no key (every signed event is refused). */
    public static EventKeys parse(String spec) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        if (spec != null) {
            for (String entry : spec.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                int equals = entry.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException(
                            "A public key is configured as id=base64, not '" + entry.strip() + "'");
                }
                String id = entry.substring(0, equals).strip();
                if (keys.put(id, Ed25519Keys.publicKey(entry.substring(equals + 1))) != null) {
                    throw new IllegalArgumentException("Public key " + id + " is configured twice");
                }
            }
        }
        return new EventKeys(keys);
    }

    public Set<String> ids() {
        return keys.keySet();
    }

    public sealed interface Verdict permits Verified, Unsigned, Refused {}

    /** Signed with a known key, and the signature holds. */
    public record Verified(String keyId) implements Verdict {}

    /** Neither a key id nor a signature: an event of before signing, or a forgery. */
    public record Unsigned() implements Verdict {}

    public record Refused(String reason) implements Verdict {}

    public Verdict verify(ObjectNode envelope) {
        String keyId = text(envelope.get(EventEnvelope.KEYID));
        String signature = text(envelope.get(EventEnvelope.SIGNATURE));
        if (keyId == null
                && signature == null
                && !envelope.has(EventEnvelope.KEYID)
                && !envelope.has(EventEnvelope.SIGNATURE)) {
            return new Unsigned();
        }
        if (keyId == null || signature == null) {
            return new Refused("signature extensions incomplete");
        }
        PublicKey key = keys.get(keyId);
        if (key == null) {
            return new Refused("unknown signing key " + abbreviated(keyId));
        }
        byte[] signatureBytes;
        try {
            signatureBytes = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return new Refused("signature is not base64");
        }
        byte[] content;
        try {
            content = EventSignatures.signedContent(envelope);
        } catch (IllegalArgumentException e) {
            return new Refused(e.getMessage());
        }
        try {
            Signature verifier = Signature.getInstance(Ed25519Keys.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(content);
            return verifier.verify(signatureBytes)
                    ? new Verified(keyId)
                    : new Refused("signature does not verify with key " + keyId);
        } catch (GeneralSecurityException e) {
            return new Refused("signature does not verify with key " + keyId);
        }
    }

    private static String text(JsonNode value) {
        return value != null && value.isString() && !value.asString().isBlank() ? value.asString() : null;
    }

    private static String abbreviated(String keyId) {
        return keyId.length() > 64 ? keyId.substring(0, 64) + "..." : keyId;
    }

    @Override
    public String toString() {
        return "EventKeys" + keys.keySet();
    }
}
