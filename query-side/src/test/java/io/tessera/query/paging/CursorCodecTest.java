package io.tessera.query.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorCodecTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final CursorCodec codec = new CursorCodec(KEY);
    private final ListFilter filter = new ListFilter("active", "shop", null, null, SortOrder.NEWEST_FIRST);
    private final Keyset position = new Keyset(Instant.parse("2024-05-01T10:15:30.123456Z"), "dep-42");

    @Test
    void decodesWhatItEncodedForTheSameTenantAndFilter() {
        String cursor = codec.encode("deployments", "acme", filter, position);

        assertThat(codec.decode(cursor, "deployments", "acme", filter)).isEqualTo(position);
    }

    @Test
    void cursorIsOpaqueUrlSafeText() {
        String cursor = codec.encode("deployments", "acme", filter, position);

        assertThat(cursor).matches("[A-Za-z0-9_.-]+").doesNotContain("acme").doesNotContain("dep-42");
    }

    @Test
    void rejectsCursorOfAnotherTenant() {
        String cursor = codec.encode("deployments", "acme", filter, position);

        assertRejected(() -> codec.decode(cursor, "deployments", "globex", filter));
    }

    @Test
    void rejectsCursorOfAnotherFilter() {
        String cursor = codec.encode("deployments", "acme", filter, position);

        assertRejected(() -> codec.decode(
                cursor, "deployments", "acme", new ListFilter("failed", "shop", null, null, SortOrder.NEWEST_FIRST)));
        assertRejected(() -> codec.decode(
                cursor, "deployments", "acme", new ListFilter("active", "shop", null, null, SortOrder.OLDEST_FIRST)));
        assertRejected(() -> codec.decode(
                cursor,
                "deployments",
                "acme",
                new ListFilter("active", "shop", Instant.EPOCH, null, SortOrder.NEWEST_FIRST)));
    }

    @Test
    void rejectsCursorOfAnotherResource() {
        String cursor = codec.encode("deployments", "acme", filter, position);

        assertRejected(() -> codec.decode(cursor, "workflows", "acme", filter));
    }

    @Test
    void rejectsTamperedCursor() {
        String cursor = codec.encode("deployments", "acme", filter, position);
        String payload = new String(Base64.getUrlDecoder().decode(cursor.split("\\.")[0]), StandardCharsets.UTF_8);
        String forged = Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(payload.replace("acme", "globex").getBytes(StandardCharsets.UTF_8))
                + "."
                + cursor.split("\\.")[1];

        assertRejected(() -> codec.decode(forged, "deployments", "globex", filter));
    }

    @Test
    void rejectsCursorSignedWithAnotherKey() {
        String cursor = new CursorCodec("another-key-another-key-another-key".getBytes(StandardCharsets.UTF_8))
                .encode("deployments", "acme", filter, position);

        assertRejected(() -> codec.decode(cursor, "deployments", "acme", filter));
    }

    @Test
    void rejectsGarbage() {
        assertRejected(() -> codec.decode("not-a-cursor", "deployments", "acme", filter));
        assertRejected(() -> codec.decode("%%%.###", "deployments", "acme", filter));
        assertRejected(() -> codec.decode("a.b.c", "deployments", "acme", filter));
        assertRejected(() -> codec.decode("", "deployments", "acme", filter));
    }

    private static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable decode) {
        assertThatThrownBy(decode)
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
    }
}
