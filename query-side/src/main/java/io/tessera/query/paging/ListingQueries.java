package io.tessera.query.paging;

import io.tessera.infra.web.Pagination;
import io.tessera.query.tenancy.TenantTransactions;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Runs a validated {@link ListRequest} against a {@link Listing}: a count for the filter, then the page,
 * by offset in page mode or by keyset on (created_at, id) in cursor mode. Every statement starts with
 * the tenant and skips deleted rows, in one transaction scoped to that tenant.
 */
@Component
public class ListingQueries {

    private final JdbcClient jdbc;
    private final CursorCodec cursors;
    private final TenantTransactions transactions;

    ListingQueries(JdbcClient jdbc, CursorCodec cursors, TenantTransactions transactions) {
        this.jdbc = jdbc;
        this.cursors = cursors;
        this.transactions = transactions;
    }

    public <T> ListPage<T> list(
            Listing listing, String tenantId, ListRequest request, RowMapper<T> rows, Function<T, Keyset> keyOf) {
        return transactions.read(tenantId, () -> page(listing, tenantId, request, rows, keyOf));
    }

    private <T> ListPage<T> page(
            Listing listing, String tenantId, ListRequest request, RowMapper<T> rows, Function<T, Keyset> keyOf) {
        ListFilter filter = request.filter();
        StringBuilder where = new StringBuilder("tenant_id = :tenantId AND deleted_at IS NULL");
        if (filter.status() != null) {
            where.append(" AND ").append(listing.statusColumn()).append(" = :status");
        }
        if (filter.q() != null) {
            where.append(" AND lower(").append(listing.searchColumn()).append(") LIKE :q ESCAPE '\\'");
        }
        if (filter.createdAfter() != null) {
            where.append(" AND created_at > :createdAfter");
        }
        if (filter.createdBefore() != null) {
            where.append(" AND created_at < :createdBefore");
        }
        long total = bind(jdbc.sql("SELECT count(*) FROM " + listing.table() + " WHERE " + where), tenantId, filter)
                .query(Long.class)
                .single();

        String order = " ORDER BY created_at " + filter.sort().sqlDirection() + ", id "
                + filter.sort().sqlDirection();
        if (request.page() instanceof PageSpec.Numbered numbered) {
            List<T> items = bind(
                            jdbc.sql("SELECT " + listing.columns() + " FROM " + listing.table() + " WHERE " + where
                                    + order + " LIMIT :limit OFFSET :offset"),
                            tenantId,
                            filter)
                    .param("limit", numbered.size())
                    .param("offset", numbered.offset())
                    .query(rows)
                    .list();
            long totalPages = pages(total, numbered.size());
            boolean hasNext = numbered.page() < totalPages;
            String next = hasNext && !items.isEmpty() ? cursorAfter(listing, tenantId, filter, items, keyOf) : null;
            return new ListPage<>(
                    items,
                    new Pagination(
                            numbered.page(), numbered.size(), total, totalPages, hasNext, numbered.page() > 1, next));
        }

        PageSpec.Continued continued = (PageSpec.Continued) request.page();
        String keyset = "";
        if (continued.after() != null) {
            // The inclusive bound on created_at alone lets the index seek to the cursor; the rest breaks ties.
            String comparison = filter.sort().keysetComparison();
            keyset = " AND created_at " + comparison + "= :afterCreatedAt AND (created_at " + comparison
                    + " :afterCreatedAt OR id " + comparison + " :afterId)";
        }
        JdbcClient.StatementSpec statement = bind(
                        jdbc.sql("SELECT " + listing.columns() + " FROM " + listing.table() + " WHERE " + where + keyset
                                + order + " LIMIT :limit"),
                        tenantId,
                        filter)
                .param("limit", continued.size() + 1);
        if (continued.after() != null) {
            statement = statement
                    .param("afterCreatedAt", utc(continued.after().createdAt()))
                    .param("afterId", continued.after().id());
        }
        List<T> fetched = statement.query(rows).list();
        boolean hasNext = fetched.size() > continued.size();
        List<T> items = hasNext ? fetched.subList(0, continued.size()) : fetched;
        String next = hasNext ? cursorAfter(listing, tenantId, filter, items, keyOf) : null;
        return new ListPage<>(
                List.copyOf(items),
                new Pagination(
                        null,
                        continued.size(),
                        total,
                        pages(total, continued.size()),
                        hasNext,
                        continued.after() != null,
                        next));
    }

    private <T> String cursorAfter(
            Listing listing, String tenantId, ListFilter filter, List<T> items, Function<T, Keyset> keyOf) {
        return cursors.encode(listing.resource(), tenantId, filter, keyOf.apply(items.get(items.size() - 1)));
    }

    private static JdbcClient.StatementSpec bind(
            JdbcClient.StatementSpec statement, String tenantId, ListFilter filter) {
        statement = statement.param("tenantId", tenantId);
        if (filter.status() != null) {
            statement = statement.param("status", filter.status());
        }
        if (filter.q() != null) {
            statement = statement.param("q", "%" + escapeLike(filter.q().toLowerCase(Locale.ROOT)) + "%");
        }
        if (filter.createdAfter() != null) {
            statement = statement.param("createdAfter", utc(filter.createdAfter()));
        }
        if (filter.createdBefore() != null) {
            statement = statement.param("createdBefore", utc(filter.createdBefore()));
        }
        return statement;
    }

    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static long pages(long total, int size) {
        return (total + size - 1) / size;
    }

    public static OffsetDateTime utc(Instant time) {
        return OffsetDateTime.ofInstant(time, ZoneOffset.UTC);
    }
}
