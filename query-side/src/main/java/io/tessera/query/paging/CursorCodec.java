package io.tessera.query.paging;

import io.tessera.infra.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque cursors: base64url of (version, resource, tenant, filter digest, created_at, id), then an
 * HMAC-SHA256 of it with a server key. A cursor that was altered, or issued for another tenant,
 * resource or filter, is refused with one and the same answer.
 */
public final class CursorCodec {

    public static final String INVALID = "cursor: not a cursor of this listing";
    private static final String VERSION = "c1";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    public CursorCodec(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("A cursor key needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    public String encode(String resource, String tenantId, ListFilter filter, Keyset position) {
        return encode(resource, tenantId, filter.fingerprint(resource), position);
    }

    /**
     * For a listing whose filters are not a {@link ListFilter}: {@code filterValues} in a fixed order,
     * null for a filter that is not set. The cursor continues only that listing with those values.
     */
    public String encode(String resource, String tenantId, List<String> filterValues, Keyset position) {
        return encode(resource, tenantId, ListFilter.fingerprint(resource, filterValues), position);
    }

    public Keyset decode(String cursor, String resource, String tenantId, ListFilter filter) {
        return decode(cursor, resource, tenantId, filter.fingerprint(resource));
    }

    public Keyset decode(String cursor, String resource, String tenantId, List<String> filterValues) {
        return decode(cursor, resource, tenantId, ListFilter.fingerprint(resource, filterValues));
    }

    private String encode(String resource, String tenantId, String fingerprint, Keyset position) {
        String payload = String.join(
                "\n",
                VERSION,
                resource,
                tenantId,
                fingerprint,
                position.createdAt().toString(),
                position.id());
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(sign(bytes));
    }

    private Keyset decode(String cursor, String resource, String tenantId, String fingerprint) {
        String[] parts = cursor.trim().split("\\.", -1);
        if (parts.length != 2) {
            throw invalid();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(parts[0]);
            signature = DECODER.decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(sign(payload), signature)) {
            throw invalid();
        }
        String[] fields = new String(payload, StandardCharsets.UTF_8).split("\n", 6);
        if (fields.length != 6
                || !VERSION.equals(fields[0])
                || !resource.equals(fields[1])
                || !tenantId.equals(fields[2])
                || !fingerprint.equals(fields[3])) {
            throw invalid();
        }
        try {
            return new Keyset(Instant.parse(fields[4]), fields[5]);
        } catch (DateTimeParseException e) {
            throw invalid();
        }
    }

    private byte[] sign(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static ApiException invalid() {
        return ApiException.validation(INVALID);
    }
}
