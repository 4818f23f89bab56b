package io.tessera.query.audit;

import static io.tessera.query.paging.ListingQueries.utc;

import io.tessera.infra.pii.PiiCipher;
import io.tessera.infra.pii.PiiVault;
import io.tessera.infra.web.Pagination;
import io.tessera.query.paging.CursorCodec;
import io.tessera.query.paging.ListPage;
import io.tessera.query.tenancy.TenantTransactions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the {@code audit_entries} view and walks the hash chain, always in a transaction of the tenant. */
@Component
class AuditQueries {

    /** The field a refused command's typed resource id is sealed under on the command side. */
    static final String SEALED_ID_FIELD = "resource_id";

    private final JdbcClient jdbc;
    private final CursorCodec cursors;
    private final TenantTransactions transactions;
    private final AuditChain chain;
    private final PiiVault vault;

    AuditQueries(
            JdbcClient jdbc, CursorCodec cursors, TenantTransactions transactions, AuditChain chain, PiiVault vault) {
        this.jdbc = jdbc;
        this.cursors = cursors;
        this.transactions = transactions;
        this.chain = chain;
        this.vault = vault;
    }

    /** The tenant's hash chain re-walked, as the API role of that tenant. */
    AuditChain.Verdict verify(String tenantId) {
        return chain.verify(tenantId);
    }

    /**
     * A resource id sealed with the tenant's data key (what a caller typed in an id's place) is shown opened while
     * the key exists, and as null once it was shredded.
     */
    ListPage<AuditEntry> audit(String tenantId, AuditRequest request) {
        ListPage<AuditEntry> page = transactions.read(tenantId, () -> auditPage(tenantId, request));
        return new ListPage<>(
                page.items().stream()
                        .map(entry -> PiiCipher.isEnvelope(entry.resourceId())
                                ? entry.withResourceId(vault.reveal(tenantId, SEALED_ID_FIELD, entry.resourceId()))
                                : entry)
                        .toList(),
                page.pagination());
    }

    private ListPage<AuditEntry> auditPage(String tenantId, AuditRequest request) {
        AuditRequest.Filter filter = request.filter();
        StringBuilder where = new StringBuilder("tenant_id = :tenantId");
        if (filter.actor() != null) {
            where.append(" AND actor = :actor");
        }
        if (filter.resourceId() != null) {
            where.append(" AND resource_id = :resourceId");
        }
        if (filter.from() != null) {
            where.append(" AND time >= :from");
        }
        if (filter.to() != null) {
            where.append(" AND time < :to");
        }
        long total = bind(jdbc.sql("SELECT count(*) FROM audit_entries WHERE " + where), tenantId, filter)
                .query(Long.class)
                .single();
        String keyset = request.after() == null ? "" : " AND (position, entry_order) < (:afterPosition, :afterOrder)";
        JdbcClient.StatementSpec statement = bind(
                        jdbc.sql("SELECT position, entry_order, time, actor, action, resource_type, resource_id,"
                                + " command_id, outcome, error_code, reason, previous_hash, hash"
                                + " FROM audit_entries WHERE " + where + keyset
                                + " ORDER BY position DESC, entry_order DESC LIMIT :limit"),
                        tenantId,
                        filter)
                .param("limit", request.limit() + 1);
        if (request.after() != null) {
            statement =
                    statement.param("afterPosition", request.afterPosition()).param("afterOrder", request.afterOrder());
        }
        List<AuditEntry> fetched = statement.query(AuditQueries::auditEntry).list();
        boolean hasNext = fetched.size() > request.limit();
        List<AuditEntry> entries = List.copyOf(hasNext ? fetched.subList(0, request.limit()) : fetched);
        String next = hasNext
                ? cursors.encode(
                        AuditRequest.RESOURCE,
                        tenantId,
                        filter.cursorBinding(),
                        AuditRequest.keysetOf(entries.get(entries.size() - 1)))
                : null;
        return new ListPage<>(
                entries,
                new Pagination(
                        null,
                        request.limit(),
                        total,
                        pages(total, request.limit()),
                        hasNext,
                        request.after() != null,
                        next));
    }

    private static JdbcClient.StatementSpec bind(
            JdbcClient.StatementSpec statement, String tenantId, AuditRequest.Filter filter) {
        statement = statement.param("tenantId", tenantId);
        if (filter.actor() != null) {
            statement = statement.param("actor", filter.actor());
        }
        if (filter.resourceId() != null) {
            statement = statement.param("resourceId", filter.resourceId());
        }
        if (filter.from() != null) {
            statement = statement.param("from", utc(filter.from()));
        }
        if (filter.to() != null) {
            statement = statement.param("to", utc(filter.to()));
        }
        return statement;
    }

    private static long pages(long total, int size) {
        return (total + size - 1) / size;
    }

    private static AuditEntry auditEntry(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(
                rs.getLong("position"),
                rs.getObject("time", OffsetDateTime.class).toInstant(),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("resource_type"),
                rs.getString("resource_id"),
                rs.getString("command_id"),
                rs.getString("outcome"),
                rs.getString("error_code"),
                rs.getString("reason"),
                rs.getString("previous_hash"),
                rs.getString("hash"),
                rs.getLong("entry_order"));
    }
}
