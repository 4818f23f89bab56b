package io.tessera.query.tenant;

import io.tessera.events.EventCatalog;
import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentStatus;
import io.tessera.events.user.Role;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowStatus;
import io.tessera.infra.web.Pagination;
import io.tessera.query.cache.CacheKeys;
import io.tessera.query.cache.CacheWarming;
import io.tessera.query.cache.QueryCache;
import io.tessera.query.freshness.MinPosition;
import io.tessera.query.paging.ListPage;
import io.tessera.query.projection.StatsCounter;
import io.tessera.query.tenancy.TenantTransactions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads {@code tenants} and the counters of {@code tenant_stats}, by tenant id first. Lists run in a
 * transaction that opens the tenants directory only (the listed tenants, or all of them for a platform
 * admin), stats in a transaction of the tenant asked about.
 */
@Component
class TenantQueries implements CacheWarming {

    private static final String DEPLOYMENT_CREATED = EventCatalog.typeOf(DeploymentCreated.class);
    private static final String WORKFLOW_CREATED = EventCatalog.typeOf(WorkflowCreated.class);

    private static final String COLUMNS =
            "id, name, slug, status, deployments_per_hour, workflows_per_hour, created_at, updated_at";

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final QueryCache cache;

    TenantQueries(JdbcClient jdbc, TenantTransactions transactions, QueryCache cache) {
        this.cache = cache;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    ListPage<TenantView> listSome(Collection<String> tenantIds, int page, int perPage) {
        return transactions.readDirectory(tenantIds, () -> some(tenantIds, page, perPage));
    }

    private ListPage<TenantView> some(Collection<String> tenantIds, int page, int perPage) {
        long total = jdbc.sql("SELECT count(*) FROM tenants WHERE id IN (:ids)")
                .param("ids", tenantIds)
                .query(Long.class)
                .single();
        List<TenantView> items = jdbc.sql("SELECT " + COLUMNS
                        + " FROM tenants WHERE id IN (:ids) ORDER BY id LIMIT :limit OFFSET :offset")
                .param("ids", tenantIds)
                .param("limit", perPage)
                .param("offset", (long) (page - 1) * perPage)
                .query(TenantQueries::view)
                .list();
        return new ListPage<>(items, pagination(total, page, perPage));
    }

    ListPage<TenantView> listAll(int page, int perPage) {
        return transactions.readWholeDirectory(() -> all(page, perPage));
    }

    private ListPage<TenantView> all(int page, int perPage) {
        long total = jdbc.sql("SELECT count(*) FROM tenants").query(Long.class).single();
        List<TenantView> items = jdbc.sql("SELECT " + COLUMNS + " FROM tenants ORDER BY id LIMIT :limit OFFSET :offset")
                .param("limit", perPage)
                .param("offset", (long) (page - 1) * perPage)
                .query(TenantQueries::view)
                .list();
        return new ListPage<>(items, pagination(total, page, perPage));
    }

    Optional<TenantStatsView> stats(String tenantId, MinPosition atLeast) {
        return cache.get(
                QueryCache.TENANT_STATS,
                tenantId,
                CacheKeys.stats(tenantId),
                atLeast,
                () -> transactions.read(tenantId, () -> statsOf(tenantId)));
    }

    private Optional<TenantStatsView> statsOf(String tenantId) {
        boolean known =
                jdbc.sql("""
                        SELECT NOT EXISTS (SELECT 1 FROM tenants WHERE id = :tenantId AND status = 'offboarded')
                            AND (EXISTS (SELECT 1 FROM tenants WHERE id = :tenantId)
                                OR EXISTS (SELECT 1 FROM projection_positions WHERE tenant_id = :tenantId))
                        """).param("tenantId", tenantId).query(Boolean.class).single();
        if (!known) {
            return Optional.empty();
        }
        Map<String, Long> deployments = zeros(Arrays.stream(DeploymentStatus.values())
                .map(DeploymentStatus::jsonName)
                .toList());
        Map<String, Long> workflows = zeros(Arrays.stream(WorkflowStatus.values())
                .map(WorkflowStatus::jsonName)
                .toList());
        Map<String, Long> users =
                zeros(Arrays.stream(Role.values()).map(Role::jsonName).toList());
        Instant[] updatedAt = {null};
        jdbc.sql("SELECT kind, status, count, updated_at FROM tenant_stats WHERE tenant_id = :tenantId")
                .param("tenantId", tenantId)
                .query(rs -> {
                    Map<String, Long> counts = switch (rs.getString("kind")) {
                        case StatsCounter.DEPLOYMENT -> deployments;
                        case StatsCounter.WORKFLOW -> workflows;
                        case StatsCounter.USER -> users;
                        default -> new LinkedHashMap<>();
                    };
                    counts.put(rs.getString("status"), rs.getLong("count"));
                    Instant rowTime =
                            rs.getObject("updated_at", OffsetDateTime.class).toInstant();
                    if (updatedAt[0] == null || rowTime.isAfter(updatedAt[0])) {
                        updatedAt[0] = rowTime;
                    }
                });
        return Optional.of(new TenantStatsView(
                tenantId,
                new TenantStatsView.Counts(sum(deployments), deployments),
                new TenantStatsView.Counts(sum(workflows), workflows),
                new TenantStatsView.UserCounts(sum(users), users),
                quotaUsage(tenantId),
                updatedAt[0]));
    }

    /**
     * Creations of the last hour from the event log, beside the tenant's limits: what the dashboard shows as quota
     * usage. The command side's rolling window is the authority; this is the same count as of the read model.
     */
    private TenantStatsView.QuotaUsage quotaUsage(String tenantId) {
        Map<String, Long> created = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT type, count(*) AS created FROM event_log
                        WHERE tenant_id = :tenantId AND type IN (:types) AND time > now() - interval '1 hour'
                        GROUP BY type
                        """)
                .param("tenantId", tenantId)
                .param("types", List.of(DEPLOYMENT_CREATED, WORKFLOW_CREATED))
                .query(rs -> {
                    created.put(rs.getString("type"), rs.getLong("created"));
                });
        Integer[] limits = {null, null};
        jdbc.sql("SELECT deployments_per_hour, workflows_per_hour FROM tenants WHERE id = :tenantId")
                .param("tenantId", tenantId)
                .query(rs -> {
                    limits[0] = (Integer) rs.getObject("deployments_per_hour");
                    limits[1] = (Integer) rs.getObject("workflows_per_hour");
                });
        return new TenantStatsView.QuotaUsage(
                new TenantStatsView.Usage(created.getOrDefault(DEPLOYMENT_CREATED, 0L), limits[0]),
                new TenantStatsView.Usage(created.getOrDefault(WORKFLOW_CREATED, 0L), limits[1]));
    }

    private static Map<String, Long> zeros(List<String> keys) {
        Map<String, Long> counts = new LinkedHashMap<>();
        keys.forEach(key -> counts.put(key, 0L));
        return counts;
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Pagination pagination(long total, int page, int perPage) {
        long totalPages = (total + perPage - 1) / perPage;
        return new Pagination(page, perPage, total, totalPages, page < totalPages, page > 1, null);
    }

    private static TenantView view(ResultSet rs, int row) throws SQLException {
        return new TenantView(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("slug"),
                rs.getString("status"),
                new TenantView.Quotas(
                        (Integer) rs.getObject("deployments_per_hour"), (Integer) rs.getObject("workflows_per_hour")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    @Override
    public void warm(String tenantId) {
        stats(tenantId, MinPosition.NONE);
    }
}
