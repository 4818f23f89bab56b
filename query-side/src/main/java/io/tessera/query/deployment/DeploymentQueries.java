package io.tessera.query.deployment;

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

/** Reads {@code deployments}, always by tenant first; a deleted deployment is not found. */
@Component
class DeploymentQueries implements CacheWarming {

    static final String COLUMNS = "tenant_id, id, project_name, status, url, created_at, updated_at, version";
    static final Listing LISTING = new Listing("deployments", "deployments", COLUMNS, "project_name", "status");

    private final JdbcClient jdbc;
    private final ListingQueries listings;
    private final TenantTransactions transactions;
    private final QueryCache cache;

    DeploymentQueries(JdbcClient jdbc, ListingQueries listings, TenantTransactions transactions, QueryCache cache) {
        this.cache = cache;
        this.jdbc = jdbc;
        this.listings = listings;
        this.transactions = transactions;
    }

    ListPage<DeploymentView> list(String tenantId, ListRequest request, MinPosition atLeast) {
        return cache.get(
                QueryCache.DEPLOYMENTS,
                tenantId,
                CacheKeys.list(LISTING.resource(), tenantId, request),
                atLeast,
                () -> listings.list(
                        LISTING, tenantId, request, DeploymentQueries::view, d -> new Keyset(d.createdAt(), d.id())));
    }

    Optional<DeploymentView> find(String tenantId, String id, MinPosition atLeast) {
        return cache.get(
                QueryCache.DEPLOYMENTS,
                tenantId,
                CacheKeys.item(LISTING.resource(), tenantId, id),
                atLeast,
                () -> transactions.read(
                        tenantId,
                        () -> jdbc.sql(
                                        "SELECT " + COLUMNS
                                                + " FROM deployments WHERE tenant_id = :tenantId AND id = :id AND deleted_at IS NULL")
                                .param("tenantId", tenantId)
                                .param("id", id)
                                .query(DeploymentQueries::view)
                                .optional()));
    }

    private static DeploymentView view(ResultSet rs, int row) throws SQLException {
        return new DeploymentView(
                rs.getString("id"),
                rs.getString("tenant_id"),
                rs.getString("project_name"),
                rs.getString("status"),
                rs.getString("url"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                rs.getLong("version"));
    }

    @Override
    public void warm(String tenantId) {
        list(tenantId, CacheWarming.firstPage(), MinPosition.NONE);
    }
}
