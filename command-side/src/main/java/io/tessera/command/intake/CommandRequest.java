package io.tessera.command.intake;

import io.tessera.infra.tenancy.RequestTenant;
import java.util.Map;
import java.util.UUID;

/**
 * A command ready to run: the tenant it belongs to, who sends it, the optional idempotency key, the
 * resource it is about (named in a not-found answer, and the stream whose position the answer reports),
 * and further metadata (only the import mode sets any: {@code io.tessera.command.imports}).
 */
public record CommandRequest(
        String tenantId,
        String actor,
        IdempotencyKey idempotencyKey,
        String commandId,
        String resource,
        String resourceId,
        Object command,
        Map<String, String> metadata) {

    public CommandRequest {
        metadata = Map.copyOf(metadata);
    }

    public CommandRequest(
            String tenantId,
            String actor,
            IdempotencyKey idempotencyKey,
            String commandId,
            String resource,
            String resourceId,
            Object command) {
        this(tenantId, actor, idempotencyKey, commandId, resource, resourceId, command, Map.of());
    }

    public static CommandRequest fromHttp(
            RequestTenant tenant,
            String tenantId,
            IdempotencyKey idempotencyKey,
            String resource,
            String resourceId,
            Object command) {
        return new CommandRequest(
                tenantId,
                tenant.caller().subject(),
                idempotencyKey,
                UUID.randomUUID().toString(),
                resource,
                resourceId,
                command);
    }
}
