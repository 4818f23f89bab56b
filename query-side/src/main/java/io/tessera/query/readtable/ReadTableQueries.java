package io.tessera.query.readtable;

import io.tessera.query.cache.CacheKeys;
import io.tessera.query.cache.CacheWarming;
import io.tessera.query.cache.QueryCache;
import io.tessera.query.freshness.MinPosition;
import io.tessera.query.paging.ListPage;
import io.tessera.query.paging.ListRequest;
import io.tessera.query.paging.ListingQueries;
import io.tessera.query.tenancy.TenantTransactions;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads a {@link ReadTable} through the cache, always by tenant first; a deleted resource is not found. */
public abstract class ReadTableQueries<V> implements CacheWarming {

    private final ReadTable<V> table;
    private final JdbcClient jdbc;
    private final ListingQueries listings;
    private final TenantTransactions transactions;
    private final QueryCache cache;

    protected ReadTableQueries(
            ReadTable<V> table,
            JdbcClient jdbc,
            ListingQueries listings,
            TenantTransactions transactions,
            QueryCache cache) {
        this.table = table;
        this.jdbc = jdbc;
        this.listings = listings;
        this.transactions = transactions;
        this.cache = cache;
    }

    public ListPage<V> list(String tenantId, ListRequest request, MinPosition atLeast) {
        return cache.get(
                table.cache(),
                tenantId,
                CacheKeys.list(table.resource(), tenantId, request),
                atLeast,
                () -> listings.list(table.listing(), tenantId, request, table.rows(), table.keyOf()));
    }

    public Optional<V> find(String tenantId, String id, MinPosition atLeast) {
        return cache.get(
                table.cache(),
                tenantId,
                CacheKeys.item(table.resource(), tenantId, id),
                atLeast,
                () -> transactions.read(
                        tenantId,
                        () -> jdbc.sql("SELECT " + table.listing().columns() + " FROM "
                                        + table.listing().table()
                                        + " WHERE tenant_id = :tenantId AND id = :id AND deleted_at IS NULL")
                                .param("tenantId", tenantId)
                                .param("id", id)
                                .query(table.rows())
                                .optional()));
    }

    @Override
    public void warm(String tenantId) {
        list(tenantId, CacheWarming.firstPage(), MinPosition.NONE);
    }
}
