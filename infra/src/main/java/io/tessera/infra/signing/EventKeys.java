package io.tessera.infra.signing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tessera.events.EventEnvelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The public keys a reader trusts, by key id; several at once, so that a key can be rotated: the command side signs
 * with the new key while readers still know the old one. Configured as {@code id=base64[,id=base64...]}.
 *
 * <p>A verdict is remembered by the digest of what it judged (key id, signature, signed content): every consumer
 * of a query side reads every record (projection, cache invalidation, live streams), and verifying a signature
 * costs more CPU than everything else of reading a record. The same bytes get the same
 * verdict, so remembering it trusts nothing new. Only signatures that hold are remembered: forged records cannot
 * push the genuine ones out.
 */
public final class EventKeys {

    private static final int VERDICTS_KEPT = 50_000;

    private final Map<String, Ed25519Signatures.VerifyingKey> keys;
    private final Cache<String, Verdict> verdicts =
            Caffeine.newBuilder().maximumSize(VERDICTS_KEPT).build();

    private EventKeys(Map<String, PublicKey> keys) {
        Map<String, Ed25519Signatures.VerifyingKey> verifying = new LinkedHashMap<>();
        keys.forEach((id, key) -> verifying.put(id, Ed25519Signatures.verifyingKey(key)));
        this.keys = Collections.unmodifiableMap(verifying);
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
        Ed25519Signatures.VerifyingKey key = keys.get(keyId);
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
        String judged = digest(keyId, signatureBytes, content);
        Verdict remembered = verdicts.getIfPresent(judged);
        if (remembered != null) {
            return remembered;
        }
        Verdict verdict = check(key, keyId, signatureBytes, content);
        if (verdict instanceof Verified) {
            verdicts.put(judged, verdict);
        }
        return verdict;
    }

    private static Verdict check(Ed25519Signatures.VerifyingKey key, String keyId, byte[] signature, byte[] content) {
        return key.verifies(content, signature)
                ? new Verified(keyId)
                : new Refused("signature does not verify with key " + keyId);
    }

    /** Lengths first, so that no two different triples run together into the same bytes. */
    private static String digest(String keyId, byte[] signature, byte[] content) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
            for (byte[] part : new byte[][] {id, signature, content}) {
                sha256.update(ByteBuffer.allocate(4).putInt(part.length).array());
                sha256.update(part);
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
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
