package io.tessera.command.user;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tessera.command.Validation;
import io.tessera.command.intake.CommandExecutor;
import io.tessera.command.intake.CommandOutcome.Accepted;
import io.tessera.command.intake.IdempotencyKey;
import io.tessera.command.intake.RejectionAudit;
import io.tessera.command.intake.ResourceCommands;
import io.tessera.command.intake.TenantGate;
import io.tessera.events.user.Role;
import io.tessera.infra.pii.PiiVault;
import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiException;
import io.tessera.infra.web.ApiResponse;
import io.tessera.infra.web.ErrorCode;
import java.util.List;
import java.util.Locale;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/users")
class UserController {

    record CreateBody(
            @JsonProperty("email") String email,
            @JsonProperty("role") String role) {}

    private final ResourceCommands commands;
    private final PiiVault vault;
    private final TenantGate gate;

    UserController(CommandExecutor executor, PiiVault vault, TenantGate gate) {
        this.commands = new ResourceCommands(executor, User.RESOURCE, Permission.MANAGE_USERS);
        this.vault = vault;
        this.gate = gate;
    }

    @PostMapping
    ResponseEntity<ApiResponse<Accepted>> create(
            RequestTenant tenant, IdempotencyKey idempotencyKey, @RequestBody CreateBody body) {
        tenant.require(Permission.MANAGE_USERS);
        Role role = body.role() == null ? null : Role.fromJsonName(body.role()).orElse(null);
        List<String> problems = Validation.problems(
                Validation.email("email", body.email()),
                role == null ? "role: one of viewer, editor, admin, auditor" : null);
        Validation.failOn(problems);
        if (gate.isOffboarded(tenant.tenantId())) {
            // Before the id: deriving it would make the tenant a new data key after its keys were shredded.
            throw new ApiException(ErrorCode.TENANT_SUSPENDED, TenantGate.OFFBOARDED_MESSAGE);
        }
        String email = body.email().trim().toLowerCase(Locale.ROOT);
        String userId = User.idFor(tenant.tenantId(), email, vault);
        return commands.run(tenant, idempotencyKey, userId, new CreateUser(tenant.tenantId(), userId, email, role));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<ApiResponse<Accepted>> delete(
            RequestTenant tenant, IdempotencyKey idempotencyKey, @PathVariable String id) {
        tenant.require(Permission.MANAGE_USERS);
        String userId = issuedOrSealed(tenant.tenantId(), id);
        return commands.run(tenant, idempotencyKey, userId, new DeleteUser(tenant.tenantId(), userId));
    }

    /**
     * A user id is a UUID (a pseudonym, {@link User#idFor}); anything else in its place is what the caller typed,
     * often the address itself. It names no user, and it is sealed with the tenant's data key before the command,
     * its idempotency record or its refusal in the audit log stores it.
     */
    private String issuedOrSealed(String tenantId, String id) {
        if (RejectionAudit.isIssuedId(id)) {
            return id;
        }
        if (gate.isOffboarded(tenantId)) {
            throw new ApiException(ErrorCode.TENANT_SUSPENDED, TenantGate.OFFBOARDED_MESSAGE);
        }
        return vault.seal(tenantId, RejectionAudit.SEALED_ID_FIELD, id);
    }
}
