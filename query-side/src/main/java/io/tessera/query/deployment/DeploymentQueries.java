package io.tessera.query.deployment;

import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.query.cache.QueryCache;
import io.tessera.query.paging.Keyset;
import io.tessera.query.paging.Listing;
import io.tessera.query.paging.ListingQueries;
import io.tessera.query.readtable.ReadTable;
import io.tessera.query.readtable.ReadTableQueries;
import io.tessera.query.tenancy.TenantTransactions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads {@code deployments}, always by tenant first; a deleted deployment is not found. */
@Component
class DeploymentQueries extends ReadTableQueries<DeploymentView> {

    static final ReadTable<DeploymentView> TABLE = new ReadTable<>(
            "Deployment",
            QueryCache.DEPLOYMENTS,
            new Listing(
                    "deployments",
                    "deployments",
                    "tenant_id, id, project_name, status, url, created_at, updated_at, version",
                    "project_name",
                    "status"),
            Arrays.stream(DeploymentStatus.values())
                    .map(DeploymentStatus::jsonName)
                    .collect(Collectors.toSet()),
            DeploymentQueries::view,
            deployment -> new Keyset(deployment.createdAt(), deployment.id()));

    DeploymentQueries(JdbcClient jdbc, ListingQueries listings, TenantTransactions transactions, QueryCache cache) {
        super(TABLE, jdbc, listings, transactions, cache);
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
}
