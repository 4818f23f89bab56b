package io.tessera.command.imports;

import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ApiResponse;
import io.tessera.infra.web.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The import endpoints: an importer token with the tenant's write (users: admin) role, up to 100 rows a call. */
@RestController
@RequestMapping("/api/imports")
class ImportController {

    private final LegacyImport imports;

    ImportController(LegacyImport imports) {
        this.imports = imports;
    }

    @PostMapping("/deployments")
    ApiResponse<List<LegacyRows.Outcome>> deployments(
            RequestTenant tenant, @RequestBody LegacyRows.Batch<LegacyRows.Deployment> body) {
        requireImporter(tenant, Permission.WRITE);
        return ApiResponse.ok(each(body, row -> imports.deployment(tenant, row)), tenant.tenantId());
    }

    @PostMapping("/workflows")
    ApiResponse<List<LegacyRows.Outcome>> workflows(
            RequestTenant tenant, @RequestBody LegacyRows.Batch<LegacyRows.Workflow> body) {
        requireImporter(tenant, Permission.WRITE);
        return ApiResponse.ok(each(body, row -> imports.workflow(tenant, row)), tenant.tenantId());
    }

    @PostMapping("/users")
    ApiResponse<List<LegacyRows.Outcome>> users(
            RequestTenant tenant, @RequestBody LegacyRows.Batch<LegacyRows.User> body) {
        requireImporter(tenant, Permission.MANAGE_USERS);
        return ApiResponse.ok(each(body, row -> imports.user(tenant, row)), tenant.tenantId());
    }

    private static void requireImporter(RequestTenant tenant, Permission permission) {
        tenant.require(permission);
        if (!tenant.caller().importer()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Only an importer token may import");
        }
    }

    private static <T> List<LegacyRows.Outcome> each(
            LegacyRows.Batch<T> body, Function<T, LegacyRows.Outcome> importer) {
        if (body.rows() == null || body.rows().isEmpty() || body.rows().size() > LegacyRows.MAX_ROWS) {
            throw ApiException.validation("rows: 1 to " + LegacyRows.MAX_ROWS + " rows");
        }
        if (body.rows().contains(null)) {
            throw ApiException.validation("rows: no null row");
        }
        List<LegacyRows.Outcome> outcomes = new ArrayList<>();
        for (T row : body.rows()) {
            outcomes.add(importer.apply(row));
        }
        return outcomes;
    }
}
