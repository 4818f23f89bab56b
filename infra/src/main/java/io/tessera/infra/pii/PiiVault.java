package io.tessera.infra.pii;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals personal data of a tenant for storage and opens it for an answer. A value that is not an
 * envelope (stored before encryption existed) is passed through as it is; an envelope whose key was
 * shredded, or that does not open, reveals as {@code null}, never as an error, so that everything else
 * of an answer, a history or a replay goes on working.
 */
public class PiiVault {

    private static final Logger log = LoggerFactory.getLogger(PiiVault.class);

    private final KeySource keys;

    public PiiVault(KeySource keys) {
        this.keys = keys;
    }

    /** The envelope to store in place of {@code plaintext} ({@code null} stays {@code null}). */
    public String seal(String tenantId, String field, String plaintext) {
        if (plaintext == null) {
            return null;
        }
        return PiiCipher.seal(keys.current(tenantId), field, plaintext);
    }

    /**
     * A stable pseudonym of {@code value} within the tenant, as a UUID: HMAC-SHA256 under a key derived from
     * the tenant's current data key. Unlike a plain hash of tenant and value, it cannot be recomputed from a
     * guessed value without the key, so once the key is shredded an id no longer tells whose it was.
     */
    public UUID pseudonym(String tenantId, String purpose, String value) {
        DataKey key = keys.current(tenantId);
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(key.key().getEncoded(), "HmacSHA256"));
            byte[] pseudonymKey = derive.doFinal("tessera-pseudonym-key".getBytes(StandardCharsets.US_ASCII));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pseudonymKey, "HmacSHA256"));
            byte[] digest = mac.doFinal((purpose + "\n" + value).getBytes(StandardCharsets.UTF_8));
            ByteBuffer bytes = ByteBuffer.wrap(digest);
            long high = (bytes.getLong() & ~0xF000L) | 0x8000L; // version 8: custom
            long low = (bytes.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
            return new UUID(high, low);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The plaintext of a stored value; {@code null} once the tenant's key is shredded. */
    public String reveal(String tenantId, String field, String stored) {
        if (!PiiCipher.isEnvelope(stored)) {
            return stored;
        }
        Optional<Integer> version = PiiCipher.keyVersionOf(stored);
        if (version.isEmpty()) {
            log.warn("A malformed envelope in field {} of tenant {}: answered as null", field, tenantId);
            return null;
        }
        try {
            return keys.find(tenantId, version.get())
                    .map(key -> PiiCipher.open(key, field, stored))
                    .orElse(null);
        } catch (UnreadablePiiException e) {
            log.error("Field {} of tenant {} does not decrypt, answered as null: {}", field, tenantId, e.getMessage());
            return null;
        }
    }

    /** Forgets the tenant's keys in this process, after they were shredded elsewhere. */
    public void forget(String tenantId) {
        keys.forget(tenantId);
    }
}
