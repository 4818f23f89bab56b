package io.tessera.infra.pii;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that wraps the tenants' data keys ({@code TESSERA_MASTER_KEY}, 32 bytes in base64). A wrapped key
 * is AES-256-GCM with tenant and version as associated data, so a row moved to another tenant does not
 * unwrap. {@link #id()} names the master key in each row (a fingerprint, not the key), which is what a
 * later master-key rotation and the error for a misconfigured key need.
 */
public final class MasterKey {

    public static final String VARIABLE = "TESSERA_MASTER_KEY";
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;
    private final String id;

    private MasterKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, "AES");
        this.id = fingerprint(bytes);
    }

    /** Parses the configured value; the message names the variable, never the value. */
    public static MasterKey fromBase64(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(VARIABLE + " (tessera.pii.master-key) is not set: personal data is "
                    + "encrypted with per-tenant keys that this key wraps. Generate one with "
                    + "`openssl rand -base64 32` and keep it safe: without it no personal data can be read");
        }
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(VARIABLE + " is not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(
                    VARIABLE + " must be 32 bytes (base64 of 32 random bytes), not " + bytes.length);
        }
        return new MasterKey(bytes);
    }

    public static String generateBase64() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

    public String id() {
        return id;
    }

    byte[] wrap(String tenantId, int version, byte[] dataKey) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(associatedData(tenantId, version));
            byte[] sealed = cipher.doFinal(dataKey);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    byte[] unwrap(String tenantId, int version, byte[] wrapped) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, wrapped, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(tenantId, version));
            return cipher.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new UnreadablePiiException("The data key of a tenant does not unwrap with this master key", e);
        }
    }

    private static byte[] associatedData(String tenantId, int version) {
        return ("tessera-data-key\n" + tenantId + "\n" + version).getBytes(StandardCharsets.UTF_8);
    }

    private static String fingerprint(byte[] bytes) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(bytes, "HmacSHA256"));
            byte[] digest = mac.doFinal("tessera-master-key-id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[" + id + "]";
    }
}
