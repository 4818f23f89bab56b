package io.tessera.infra.pii;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The envelope {@code pii:v1:<key version>:<base64url(nonce | ciphertext | tag)>}: AES-256-GCM, a random
 * 96-bit nonce per value, and as associated data the tenant, the field and the key version, so that an
 * envelope copied into another tenant's event or another field does not open.
 */
public final class PiiCipher {

    public static final String PREFIX = "pii:v1:";
    private static final Pattern ENVELOPE = Pattern.compile("pii:v1:([1-9][0-9]{0,8}):([A-Za-z0-9_-]+)");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PiiCipher() {}

    public static String seal(DataKey key, String field, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(key.tenantId(), field, key.version()));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
            return PREFIX + key.version() + ":"
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Opens an envelope sealed for {@code key}'s tenant and {@code field}; anything else is refused. */
    public static String open(DataKey key, String field, String envelope) {
        Matcher m = ENVELOPE.matcher(envelope);
        if (!m.matches() || Integer.parseInt(m.group(1)) != key.version()) {
            throw new UnreadablePiiException("Not an envelope of key version " + key.version());
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new UnreadablePiiException("Malformed envelope", e);
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new UnreadablePiiException("Truncated envelope");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(key.tenantId(), field, key.version()));
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new UnreadablePiiException("The envelope does not authenticate", e);
        } catch (GeneralSecurityException e) {
            throw new UnreadablePiiException("The envelope does not open", e);
        }
    }

    public static boolean isEnvelope(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** The key version an envelope names; empty for anything that is not an envelope. */
    public static Optional<Integer> keyVersionOf(String envelope) {
        Matcher m = ENVELOPE.matcher(envelope == null ? "" : envelope);
        return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    private static byte[] associatedData(String tenantId, String field, int version) {
        // Length-prefixed, so that no choice of tenant and field names collides with another.
        byte[] tenant = tenantId.getBytes(StandardCharsets.UTF_8);
        byte[] name = field.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + tenant.length + 4 + name.length + 4 + 7)
                .put("pii:v1:".getBytes(StandardCharsets.US_ASCII))
                .putInt(tenant.length)
                .put(tenant)
                .putInt(name.length)
                .put(name)
                .putInt(version)
                .array();
    }
}
