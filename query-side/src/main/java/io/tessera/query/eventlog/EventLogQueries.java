package io.tessera.query.eventlog;

import io.tessera.infra.web.Pagination;
import io.tessera.query.paging.ListPage;
import io.tessera.query.projection.LoggedEvent;
import io.tessera.query.tenancy.TenantTransactions;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads {@code event_log}, always by tenant first, in a transaction of that tenant. */
@Component
class EventLogQueries {

    static final String EVENT_COLUMNS = LoggedEvent.columns("event_log");

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;

    EventLogQueries(JdbcClient jdbc, TenantTransactions transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** A page of the log and the position to continue after: the page's last, or where it started if empty. */
    record EventPage(ListPage<LoggedEvent> page, long nextAfterPosition) {}

    EventPage events(String tenantId, EventLogRequest request) {
        return transactions.read(tenantId, () -> eventPage(tenantId, request));
    }

    private EventPage eventPage(String tenantId, EventLogRequest request) {
        List<LoggedEvent> fetched = jdbc.sql("SELECT " + EVENT_COLUMNS + """
                         FROM event_log WHERE tenant_id = :tenantId AND position > :after
                        ORDER BY position LIMIT :limit
                        """)
                .param("tenantId", tenantId)
                .param("after", request.afterPosition())
                .param("limit", request.limit() + 1)
                .query(LoggedEvent::read)
                .list();
        Counts counts = jdbc.sql("""
                        SELECT count(*) AS total, count(*) FILTER (WHERE position <= :after) AS before
                        FROM event_log WHERE tenant_id = :tenantId
                        """)
                .param("tenantId", tenantId)
                .param("after", request.afterPosition())
                .query((rs, row) -> new Counts(rs.getLong("total"), rs.getLong("before")))
                .single();
        boolean hasNext = fetched.size() > request.limit();
        List<LoggedEvent> events = List.copyOf(hasNext ? fetched.subList(0, request.limit()) : fetched);
        long next = events.isEmpty()
                ? request.afterPosition()
                : events.get(events.size() - 1).position();
        Pagination pagination = new Pagination(
                null,
                request.limit(),
                counts.total(),
                pages(counts.total(), request.limit()),
                hasNext,
                counts.before() > 0,
                hasNext ? Long.toString(next) : null);
        return new EventPage(new ListPage<>(events, pagination), next);
    }

    private record Counts(long total, long before) {}

    /** The events of one aggregate of the given kind ({@code deployment}, {@code workflow}), by sequence. */
    List<LoggedEvent> stream(String tenantId, String kind, String aggregateId) {
        return transactions.read(
                tenantId,
                () -> jdbc.sql("SELECT " + EVENT_COLUMNS + """
                         FROM event_log
                        WHERE tenant_id = :tenantId AND subject = :subject AND type LIKE :types
                        ORDER BY sequence
                        """)
                        .param("tenantId", tenantId)
                        .param("subject", aggregateId)
                        .param("types", "tessera." + kind + ".%")
                        .query(LoggedEvent::read)
                        .list());
    }

    private static long pages(long total, int size) {
        return (total + size - 1) / size;
    }
}
