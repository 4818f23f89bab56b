package io.tessera.query.readtable;

import io.tessera.query.paging.Keyset;
import io.tessera.query.paging.Listing;
import java.util.Set;
import java.util.function.Function;
import org.springframework.jdbc.core.RowMapper;

/**
 * A resource table as the API reads it: the resource's name in a not-found answer, its cache, its listing
 * (table, columns, searched and filtered columns), the statuses a list may filter by, and how a row becomes
 * the resource's view and its keyset. Constants of the code, never client input.
 */
public record ReadTable<V>(
        String name,
        String cache,
        Listing listing,
        Set<String> statuses,
        RowMapper<V> rows,
        Function<V, Keyset> keyOf) {

    /** The resource's name in cursors and cache keys. */
    public String resource() {
        return listing.resource();
    }
}
