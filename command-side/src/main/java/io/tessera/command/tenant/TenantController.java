package io.tessera.command.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.command.Validation;
import io.tessera.command.intake.CommandExecutor;
import io.tessera.command.intake.CommandOutcome.Accepted;
import io.tessera.command.intake.CommandRequest;
import io.tessera.command.intake.IdempotencyKey;
import io.tessera.events.tenant.TenantQuotas;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.tenancy.TenantResolver;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ApiResponse;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Tenant administration: not tenant-scoped, platform admins only. */
@RestController
@RequestMapping("/api/tenants")
class TenantController {

    record CreateBody(
            @JsonProperty("id") String id,
            @JsonProperty("name") String name,
            @JsonProperty("slug") String slug) {}

    record QuotasBody(
            @JsonProperty("deployments_per_hour") Integer deploymentsPerHour,
            @JsonProperty("workflows_per_hour") Integer workflowsPerHour) {}

    private final CommandExecutor executor;

    TenantController(CommandExecutor executor) {
        this.executor = executor;
    }

    @PostMapping
    ResponseEntity<ApiResponse<Accepted>> create(
            RequestTenant tenant, IdempotencyKey idempotencyKey, @RequestBody CreateBody body) {
        tenant.requirePlatformAdmin();
        failOn(Validation.problems(
                Validation.slug("id", body.id()),
                Validation.name("name", body.name()),
                Validation.slug("slug", body.slug())));
        CreateTenant command = new CreateTenant(body.id(), body.name(), body.slug());
        return run(tenant, idempotencyKey, body.id(), command);
    }

    @PutMapping("/{id}/quotas")
    ResponseEntity<ApiResponse<Accepted>> changeQuotas(
            RequestTenant tenant,
            IdempotencyKey idempotencyKey,
            @PathVariable String id,
            @RequestBody QuotasBody body) {
        tenant.requirePlatformAdmin();
        failOn(Validation.problems(
                body.deploymentsPerHour() == null
                        ? "deployments_per_hour: required"
                        : Validation.quota("deployments_per_hour", body.deploymentsPerHour()),
                body.workflowsPerHour() == null
                        ? "workflows_per_hour: required"
                        : Validation.quota("workflows_per_hour", body.workflowsPerHour())));
        ChangeTenantQuotas command =
                new ChangeTenantQuotas(id, new TenantQuotas(body.deploymentsPerHour(), body.workflowsPerHour()));
        return run(tenant, idempotencyKey, id, command);
    }

    /** The tenant's commands are refused (403 TENANT_SUSPENDED) until it is reactivated; reads go on. */
    @PostMapping("/{id}/suspend")
    ResponseEntity<ApiResponse<Accepted>> suspend(
            RequestTenant tenant, IdempotencyKey idempotencyKey, @PathVariable String id) {
        tenant.requirePlatformAdmin();
        return run(tenant, idempotencyKey, existingShape(id), new SuspendTenant(id));
    }

    @PostMapping("/{id}/reactivate")
    ResponseEntity<ApiResponse<Accepted>> reactivate(
            RequestTenant tenant, IdempotencyKey idempotencyKey, @PathVariable String id) {
        tenant.requirePlatformAdmin();
        return run(tenant, idempotencyKey, existingShape(id), new ReactivateTenant(id));
    }

    /**
     * Offboards the tenant, for good: its client credentials and refresh tokens are revoked in the same
     * transaction, and the query side drops its read rows when the event arrives there.
     */
    @DeleteMapping("/{id}")
    ResponseEntity<ApiResponse<Accepted>> offboard(
            RequestTenant tenant, IdempotencyKey idempotencyKey, @PathVariable String id) {
        tenant.requirePlatformAdmin();
        return run(tenant, idempotencyKey, existingShape(id), new OffboardTenant(id));
    }

    /**
     * Destroys the tenant's data keys: the personal data in its events so far becomes unreadable
     * everywhere (crypto-shredding); everything else of the tenant goes on. Offboarding does this too.
     */
    @DeleteMapping("/{id}/data-keys")
    ResponseEntity<ApiResponse<Accepted>> shredDataKeys(
            RequestTenant tenant, IdempotencyKey idempotencyKey, @PathVariable String id) {
        tenant.requirePlatformAdmin();
        return run(tenant, idempotencyKey, existingShape(id), new ShredTenantDataKeys(id));
    }

    private ResponseEntity<ApiResponse<Accepted>> run(
            RequestTenant tenant, IdempotencyKey idempotencyKey, String tenantId, Object command) {
        return executor.execute(
                        CommandRequest.fromHttp(tenant, tenantId, idempotencyKey, Tenant.RESOURCE, tenantId, command))
                .toResponse(tenant.tenantId());
    }

    /** An id that cannot name a tenant names none: 404, as for a tenant that does not exist. */
    private static String existingShape(String id) {
        if (!TenantResolver.isValidTenantId(id)) {
            throw ApiException.notFound("Tenant");
        }
        return id;
    }

    private static void failOn(List<String> problems) {
        if (!problems.isEmpty()) {
            throw ApiException.validation("The request is not valid", problems);
        }
    }
}
