package io.tessera.query.paging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/** The validated filters and order of a list request; null means "no such filter". */
public record ListFilter(String status, String q, Instant createdAfter, Instant createdBefore, SortOrder sort) {

    public ListFilter {
        Objects.requireNonNull(sort, "sort");
    }

    public static ListFilter none() {
        return new ListFilter(null, null, null, null, SortOrder.NEWEST_FIRST);
    }

    /** A short digest of the filter set, so that a cursor only continues the listing it came from. */
    String fingerprint(String resource) {
        String canonical = String.join(
                "\u0000",
                resource,
                String.valueOf(status),
                String.valueOf(q),
                String.valueOf(createdAfter),
                String.valueOf(createdBefore),
                sort.parameter());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(digest)
                    .substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
