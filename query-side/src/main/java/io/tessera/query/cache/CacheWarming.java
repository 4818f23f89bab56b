package io.tessera.query.cache;

/**
 * A feature's answers that every dashboard opens first (the first page with no filters, the stats), for
 * {@link CacheWarmer} to load through the cache after a restart.
 */
public interface CacheWarming {

    /** The default first page of a listing: what a request without any list parameter asks for. */
    static io.tessera.query.paging.ListRequest firstPage() {
        return new io.tessera.query.paging.ListRequest(
                io.tessera.query.paging.ListFilter.none(),
                new io.tessera.query.paging.PageSpec.Numbered(1, io.tessera.query.paging.PageSpec.DEFAULT_SIZE));
    }

    void warm(String tenantId);
}
