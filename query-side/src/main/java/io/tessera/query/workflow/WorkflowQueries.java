package io.tessera.query.workflow;

import io.tessera.query.cache.CacheKeys;
import io.tessera.query.cache.CacheWarming;
import io.tessera.query.cache.QueryCache;
import io.tessera.query.freshness.MinPosition;
import io.tessera.query.paging.Keyset;
import io.tessera.query.paging.ListPage;
import io.tessera.query.paging.ListRequest;
import io.tessera.query.paging.Listing;
import io.tessera.query.paging.ListingQueries;
import io.tessera.query.tenancy.TenantTransactions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads {@code workflows}, always by tenant first; a deleted workflow is not found. */
@Component
class WorkflowQueries implements CacheWarming {

    static final String COLUMNS =
            "tenant_id, id, name, status, config::text AS config, created_at, updated_at, version";
    static final Listing LISTING = new Listing("workflows", "workflows", COLUMNS, "name", "status");

    private final JdbcClient jdbc;
    private final ListingQueries listings;
    private final TenantTransactions transactions;
    private final QueryCache cache;

    WorkflowQueries(JdbcClient jdbc, ListingQueries listings, TenantTransactions transactions, QueryCache cache) {
        this.cache = cache;
        this.jdbc = jdbc;
        this.listings = listings;
        this.transactions = transactions;
    }

    ListPage<WorkflowView> list(String tenantId, ListRequest request, MinPosition atLeast) {
        return cache.get(
                QueryCache.WORKFLOWS,
                tenantId,
                CacheKeys.list(LISTING.resource(), tenantId, request),
                atLeast,
                () -> listings.list(
                        LISTING, tenantId, request, WorkflowQueries::view, w -> new Keyset(w.createdAt(), w.id())));
    }

    Optional<WorkflowView> find(String tenantId, String id, MinPosition atLeast) {
        return cache.get(
                QueryCache.WORKFLOWS,
                tenantId,
                CacheKeys.item(LISTING.resource(), tenantId, id),
                atLeast,
                () -> transactions.read(
                        tenantId,
                        () -> jdbc.sql(
                                        "SELECT " + COLUMNS
                                                + " FROM workflows WHERE tenant_id = :tenantId AND id = :id AND deleted_at IS NULL")
                                .param("tenantId", tenantId)
                                .param("id", id)
                                .query(WorkflowQueries::view)
                                .optional()));
    }

    private static WorkflowView view(ResultSet rs, int row) throws SQLException {
        return new WorkflowView(
                rs.getString("id"),
                rs.getString("tenant_id"),
                rs.getString("name"),
                rs.getString("status"),
                rs.getString("config"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                rs.getLong("version"));
    }

    @Override
    public void warm(String tenantId) {
        list(tenantId, CacheWarming.firstPage(), MinPosition.NONE);
    }
}
