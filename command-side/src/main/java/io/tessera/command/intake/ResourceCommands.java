package io.tessera.command.intake;

import io.tessera.command.intake.CommandOutcome.Accepted;
import io.tessera.infra.security.Permission;
import io.tessera.infra.tenancy.RequestTenant;
import io.tessera.infra.web.ApiResponse;
import java.util.function.Function;
import org.springframework.http.ResponseEntity;

/**
 * A resource's write routes, in the order each of them keeps: the caller's permission, then the command built
 * from the request for the caller's tenant (its validation answers 400 before anything runs), then the command
 * run by the {@link CommandExecutor}, whose outcome is the answer. The feature's controller keeps its routes
 * and payloads.
 */
public final class ResourceCommands {

    private final CommandExecutor executor;
    private final String resource;
    private final Permission permission;

    public ResourceCommands(CommandExecutor executor, String resource, Permission permission) {
        this.executor = executor;
        this.resource = resource;
        this.permission = permission;
    }

    /** A creation: the command carries the id it gives the new resource. */
    public <C> ResponseEntity<ApiResponse<Accepted>> create(
            RequestTenant tenant,
            IdempotencyKey idempotencyKey,
            Function<String, C> commandForTenant,
            Function<C, String> idOf) {
        tenant.require(permission);
        C command = commandForTenant.apply(tenant.tenantId());
        return run(tenant, idempotencyKey, idOf.apply(command), command);
    }

    /** A command about the existing resource {@code id}. */
    public ResponseEntity<ApiResponse<Accepted>> change(
            RequestTenant tenant, IdempotencyKey idempotencyKey, String id, Function<String, ?> commandForTenant) {
        tenant.require(permission);
        return run(tenant, idempotencyKey, id, commandForTenant.apply(tenant.tenantId()));
    }

    /** The command as it is, for a route that checked the caller and built the command itself. */
    public ResponseEntity<ApiResponse<Accepted>> run(
            RequestTenant tenant, IdempotencyKey idempotencyKey, String id, Object command) {
        return executor.execute(
                        CommandRequest.fromHttp(tenant, tenant.tenantId(), idempotencyKey, resource, id, command))
                .toResponse(tenant.tenantId());
    }
}
