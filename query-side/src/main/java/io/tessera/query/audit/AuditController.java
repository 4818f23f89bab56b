package io.tessera.query.audit;

import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiResponse;
import io.tessera.query.paging.CursorCodec;
import io.tessera.query.paging.ListPage;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The auditor's view of who did what: {@code GET /api/audit}, newest first, and the chain's verification. */
@RestController
class AuditController {

    private final AuditQueries queries;
    private final CursorCodec cursors;

    AuditController(AuditQueries queries, CursorCodec cursors) {
        this.queries = queries;
        this.cursors = cursors;
    }

    @GetMapping("/api/audit")
    ApiResponse<List<AuditEntry>> audit(
            RequestTenant tenant,
            @RequestParam(required = false) String actor,
            @RequestParam(name = "resource_id", required = false) String resourceId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) String limit) {
        tenant.require(Permission.AUDIT);
        AuditRequest request =
                AuditRequest.parse(actor, resourceId, from, to, cursor, limit, tenant.tenantId(), cursors);
        ListPage<AuditEntry> result = queries.audit(tenant.tenantId(), request);
        return ApiResponse.page(result.items(), result.pagination(), tenant.tenantId());
    }

    /** Re-walks the tenant's hash chain from its first entry; ok, or the first broken link. */
    @GetMapping("/api/audit/verify")
    ApiResponse<AuditVerification> verify(RequestTenant tenant) {
        tenant.require(Permission.AUDIT);
        return ApiResponse.ok(AuditVerification.of(queries.verify(tenant.tenantId())), tenant.tenantId());
    }
}
