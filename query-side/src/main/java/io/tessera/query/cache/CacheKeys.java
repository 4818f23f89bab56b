package io.tessera.query.cache;

import io.tessera.query.paging.Keyset;
import io.tessera.query.paging.ListFilter;
import io.tessera.query.paging.ListRequest;
import io.tessera.query.paging.PageSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Cache keys: tenant-scoped and filter-aware, e.g.
 * {@code deployments:tenant:acme:page:2:per_page:50:status:active:q:~:created_after:~:created_before:~:sort:-created_at}
 * or {@code tenant:acme:stats}. Every value is URL-encoded (so {@code :} inside a value can never shift a
 * field) and an absent value is {@code ~}, which URL encoding never produces.
 */
public final class CacheKeys {

    static final String ABSENT = "~";

    private CacheKeys() {}

    /** One page of a listing with all its filters; page mode and cursor mode never share a key. */
    public static String list(String resource, String tenantId, ListRequest request) {
        ListFilter filter = request.filter();
        StringBuilder key = new StringBuilder(prefix(resource, tenantId));
        if (request.page() instanceof PageSpec.Continued continued) {
            Keyset after = continued.after();
            key.append(":cursor:")
                    .append(
                            after == null
                                    ? ABSENT
                                    : encode(String.valueOf(after.createdAt())) + "," + encode(after.id()))
                    .append(":limit:")
                    .append(continued.size());
        } else {
            key.append(":page:")
                    .append(((PageSpec.Numbered) request.page()).page())
                    .append(":per_page:")
                    .append(request.page().size());
        }
        return key.append(":status:")
                .append(encode(filter.status()))
                .append(":q:")
                .append(encode(filter.q()))
                .append(":created_after:")
                .append(encode(instant(filter.createdAfter())))
                .append(":created_before:")
                .append(encode(instant(filter.createdBefore())))
                .append(":sort:")
                .append(encode(filter.sort().parameter()))
                .toString();
    }

    /** One resource by id, e.g. {@code deployments:tenant:acme:id:dep-1}. */
    public static String item(String resource, String tenantId, String id) {
        return prefix(resource, tenantId) + ":id:" + encode(id);
    }

    /** A tenant's counters: {@code tenant:acme:stats}. */
    public static String stats(String tenantId) {
        return "tenant:" + encode(tenantId) + ":stats";
    }

    private static String prefix(String resource, String tenantId) {
        return resource + ":tenant:" + encode(tenantId);
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String encode(String value) {
        return value == null ? ABSENT : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
