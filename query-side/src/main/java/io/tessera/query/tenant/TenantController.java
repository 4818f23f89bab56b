package io.tessera.query.tenant;

import io.tessera.infra.security.Caller;
import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ApiResponse;
import io.tessera.infra.web.ErrorCode;
import io.tessera.query.freshness.MinPosition;
import io.tessera.query.paging.ListPage;
import io.tessera.query.paging.ListParameters;
import io.tessera.query.paging.ListRequestParser;
import io.tessera.query.paging.PageSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenants a caller may act for (all of them for a platform admin), and a tenant's counters. Stats
 * of a tenant the caller may not act for are refused the same way whether it exists or not.
 */
@RestController
@RequestMapping("/api/tenants")
class TenantController {

    private final TenantQueries queries;

    TenantController(TenantQueries queries) {
        this.queries = queries;
    }

    @GetMapping
    ApiResponse<List<TenantView>> list(
            RequestTenant tenant,
            @RequestParam(required = false) String page,
            @RequestParam(name = "per_page", required = false) String perPage) {
        Caller caller = tenant.caller();
        if (!caller.platformAdmin()) {
            tenant.require(Permission.READ);
        }
        PageSpec.Numbered numbered = (PageSpec.Numbered) ListRequestParser.parse(
                        ListParameters.pageOnly(page, perPage), Set.of(), "tenants", tenant.tenantId(), null)
                .page();
        ListPage<TenantView> result;
        if (caller.platformAdmin()) {
            result = queries.listAll(numbered.page(), numbered.size());
        } else {
            Set<String> mayActFor = new LinkedHashSet<>();
            mayActFor.add(caller.homeTenant());
            mayActFor.addAll(caller.tenants());
            result = queries.listSome(mayActFor, numbered.page(), numbered.size());
        }
        return ApiResponse.page(result.items(), result.pagination(), tenant.tenantId());
    }

    @GetMapping("/{id}/stats")
    ApiResponse<TenantStatsView> stats(RequestTenant tenant, MinPosition atLeast, @PathVariable String id) {
        tenant.require(Permission.READ);
        if (!tenant.caller().mayActFor(id)) {
            throw new ApiException(ErrorCode.TENANT_FORBIDDEN, "You may not act for this tenant");
        }
        return queries.stats(id, atLeast)
                .map(stats -> ApiResponse.ok(stats, tenant.tenantId()))
                .orElseThrow(() -> ApiException.notFound("Tenant"));
    }
}
