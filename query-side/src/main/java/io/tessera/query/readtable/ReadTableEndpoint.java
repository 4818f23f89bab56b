package io.tessera.query.readtable;

import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ApiResponse;
import io.tessera.query.freshness.MinPosition;
import io.tessera.query.paging.CursorCodec;
import io.tessera.query.paging.ListPage;
import io.tessera.query.paging.ListParameters;
import io.tessera.query.paging.ListRequest;
import io.tessera.query.paging.ListRequestParser;
import java.util.List;

/**
 * The answers of a resource's two read routes, the list and the one by id, within the request's tenant and
 * for callers with the read permission. The feature's controller keeps the routes and their parameters.
 */
public final class ReadTableEndpoint<V> {

    private final ReadTable<V> table;
    private final ReadTableQueries<V> queries;
    private final CursorCodec cursors;

    public ReadTableEndpoint(ReadTable<V> table, ReadTableQueries<V> queries, CursorCodec cursors) {
        this.table = table;
        this.queries = queries;
        this.cursors = cursors;
    }

    public ApiResponse<List<V>> list(RequestTenant tenant, MinPosition atLeast, ListParameters parameters) {
        tenant.require(Permission.READ);
        ListRequest request =
                ListRequestParser.parse(parameters, table.statuses(), table.resource(), tenant.tenantId(), cursors);
        ListPage<V> result = queries.list(tenant.tenantId(), request, atLeast);
        return ApiResponse.page(result.items(), result.pagination(), tenant.tenantId());
    }

    public ApiResponse<V> get(RequestTenant tenant, MinPosition atLeast, String id) {
        tenant.require(Permission.READ);
        return queries.find(tenant.tenantId(), id, atLeast)
                .map(view -> ApiResponse.ok(view, tenant.tenantId()))
                .orElseThrow(() -> ApiException.notFound(table.name()));
    }
}
