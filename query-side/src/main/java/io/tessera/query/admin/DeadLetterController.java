package io.tessera.query.admin;

import io.tessera.infra.security.Caller;
import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.tenancy.TenantResolver;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ApiResponse;
import io.tessera.infra.web.ErrorCode;
import io.tessera.infra.web.Pagination;
import io.tessera.query.deadletter.DeadLetter;
import io.tessera.query.deadletter.DeadLetterRetries;
import io.tessera.query.deadletter.DeadLetters;
import io.tessera.query.deadletter.RetryOutcome;
import io.tessera.query.paging.ListParameters;
import io.tessera.query.paging.ListRequestParser;
import io.tessera.query.paging.PageSpec;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The projections' dead letters. A platform admin sees every tenant's (and the records whose tenant could not
 * be trusted), {@code ?tenant=ID} narrowing the list; a tenant's {@code admin} sees the request tenant's only,
 * and another tenant's letter is not found, exactly as an unknown one.
 */
@RestController
@RequestMapping("/api/admin/dead-letters")
class DeadLetterController {

    private final DeadLetters deadLetters;
    private final DeadLetterRetries retries;
    private final AdministrativeActs acts;

    DeadLetterController(DeadLetters deadLetters, DeadLetterRetries retries, AdministrativeActs acts) {
        this.deadLetters = deadLetters;
        this.retries = retries;
        this.acts = acts;
    }

    @GetMapping
    ApiResponse<List<DeadLetter>> list(
            RequestTenant tenant,
            @RequestParam(name = "tenant", required = false) String only,
            @RequestParam(required = false) String page,
            @RequestParam(name = "per_page", required = false) String perPage) {
        String scope = scope(tenant, only);
        PageSpec.Numbered numbered = (PageSpec.Numbered) ListRequestParser.parse(
                        ListParameters.pageOnly(page, perPage), Set.of(), "dead-letters", tenant.tenantId(), null)
                .page();
        DeadLetters.Page result = deadLetters.list(scope, numbered.page(), numbered.size());
        long totalPages = (result.total() + numbered.size() - 1) / numbered.size();
        return ApiResponse.page(
                result.items(),
                new Pagination(
                        numbered.page(),
                        numbered.size(),
                        result.total(),
                        totalPages,
                        numbered.page() < totalPages,
                        numbered.page() > 1,
                        null),
                tenant.tenantId());
    }

    @GetMapping("/{id}")
    ApiResponse<DeadLetter> one(RequestTenant tenant, @PathVariable String id) {
        return ApiResponse.ok(find(tenant, id), tenant.tenantId());
    }

    @PostMapping("/{id}/retry")
    ApiResponse<RetryOutcome> retry(RequestTenant tenant, @PathVariable String id) {
        DeadLetter letter = find(tenant, id);
        RetryOutcome outcome = retries.retry(letter);
        // A letter whose tenant could not be trusted belongs to no tenant's audit log.
        if (letter.tenantId() != null) {
            acts.record(
                    letter.tenantId(),
                    tenant.caller().subject(),
                    new AdministrativeActs.Act("dead-letter.retried", "dead-letter", letter.id()));
        }
        return ApiResponse.ok(outcome, tenant.tenantId());
    }

    private DeadLetter find(RequestTenant tenant, String id) {
        return deadLetters.find(id, scope(tenant, null)).orElseThrow(() -> ApiException.notFound("Dead letter"));
    }

    /** The tenant whose letters the caller may see; null: every tenant's (platform admins). */
    private static String scope(RequestTenant tenant, String only) {
        Caller caller = tenant.caller();
        if (!caller.platformAdmin()) {
            tenant.require(Permission.MANAGE_USERS);
        }
        if (only != null && !TenantResolver.isValidTenantId(only)) {
            throw ApiException.validation("tenant: not a tenant id");
        }
        if (caller.platformAdmin()) {
            return only;
        }
        if (only != null && !only.equals(tenant.tenantId())) {
            throw new ApiException(ErrorCode.TENANT_FORBIDDEN, "You may not act for this tenant");
        }
        return tenant.tenantId();
    }
}
