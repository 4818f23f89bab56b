package io.tessera.query.workflow;

import io.tessera.events.workflow.WorkflowStatus;
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

/** Reads {@code workflows}, always by tenant first; a deleted workflow is not found. */
@Component
class WorkflowQueries extends ReadTableQueries<WorkflowView> {

    static final ReadTable<WorkflowView> TABLE = new ReadTable<>(
            "Workflow",
            QueryCache.WORKFLOWS,
            new Listing(
                    "workflows",
                    "workflows",
                    "tenant_id, id, name, status, config::text AS config, created_at, updated_at, version",
                    "name",
                    "status"),
            Arrays.stream(WorkflowStatus.values()).map(WorkflowStatus::jsonName).collect(Collectors.toSet()),
            WorkflowQueries::view,
            workflow -> new Keyset(workflow.createdAt(), workflow.id()));

    WorkflowQueries(JdbcClient jdbc, ListingQueries listings, TenantTransactions transactions, QueryCache cache) {
        super(TABLE, jdbc, listings, transactions, cache);
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
}
