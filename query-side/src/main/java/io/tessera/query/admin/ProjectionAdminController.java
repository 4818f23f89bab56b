package io.tessera.query.admin;

import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.tenancy.TenantResolver;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ApiResponse;
import io.tessera.infra.web.ErrorCode;
import io.tessera.query.rebuild.ProjectionRebuilds;
import io.tessera.query.rebuild.RebuildStatus;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rebuilds of the read tables and their progress. Platform admins only: a rebuild of a whole table concerns
 * every tenant. {@code ?tenant=ID} rebuilds that tenant's rows alone.
 */
@RestController
@RequestMapping("/api/admin/projections")
class ProjectionAdminController {

    private final ProjectionRebuilds rebuilds;
    private final AdministrativeActs acts;

    ProjectionAdminController(ProjectionRebuilds rebuilds, AdministrativeActs acts) {
        this.rebuilds = rebuilds;
        this.acts = acts;
    }

    @GetMapping
    ApiResponse<List<RebuildStatus>> list(RequestTenant tenant) {
        tenant.requirePlatformAdmin();
        return ApiResponse.ok(rebuilds.statuses(), tenant.tenantId());
    }

    @GetMapping("/{name}")
    ApiResponse<RebuildStatus> one(RequestTenant tenant, @PathVariable String name) {
        tenant.requirePlatformAdmin();
        return rebuilds.status(name)
                .map(status -> ApiResponse.ok(status, tenant.tenantId()))
                .orElseThrow(() -> ApiException.notFound("Projection"));
    }

    @PostMapping("/{name}/rebuild")
    ResponseEntity<ApiResponse<RebuildStatus>> rebuild(
            RequestTenant tenant,
            @PathVariable String name,
            @RequestParam(name = "tenant", required = false) String only) {
        tenant.requirePlatformAdmin();
        if (only != null && !TenantResolver.isValidTenantId(only)) {
            throw ApiException.validation("tenant: not a tenant id");
        }
        ProjectionRebuilds.Start start = rebuilds.start(name, only);
        if (start instanceof ProjectionRebuilds.Started started) {
            AdministrativeActs.Act act = new AdministrativeActs.Act("projection.rebuild-started", "projection", name);
            if (only == null) {
                acts.recordForEveryTenant(tenant.caller().subject(), act);
            } else {
                acts.record(only, tenant.caller().subject(), act);
            }
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(ApiResponse.ok(started.status(), tenant.tenantId()));
        }
        if (start instanceof ProjectionRebuilds.AlreadyRunning) {
            throw new ApiException(ErrorCode.CONFLICT, "A rebuild of " + name + " is running");
        }
        throw ApiException.notFound("Projection");
    }
}
