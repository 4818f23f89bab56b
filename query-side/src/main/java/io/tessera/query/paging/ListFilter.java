package io.tessera.query.paging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

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
        return fingerprint(
                resource,
                Arrays.asList(
                        status, q, String.valueOf(createdAfter), String.valueOf(createdBefore), sort.parameter()));
    }

    /** The digest of any listing's filter values, given in a fixed order; null stands for "no such filter". */
    static String fingerprint(String resource, List<String> values) {
        String canonical =
                resource + "\u0000" + values.stream().map(String::valueOf).collect(Collectors.joining("\u0000"));
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
