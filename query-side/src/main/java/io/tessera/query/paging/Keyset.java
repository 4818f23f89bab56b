package io.tessera.query.paging;

import java.time.Instant;

/** Where a page ends in the (created_at, id) order; the next page starts after it. */
public record Keyset(Instant createdAt, String id) {}
