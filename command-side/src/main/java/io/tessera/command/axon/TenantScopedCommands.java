package io.tessera.command.axon;

import java.util.List;
import java.util.function.BiFunction;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;

/** Fails closed: a command reaches no handler unless its metadata and its payload name the same tenant. */
final class TenantScopedCommands implements MessageDispatchInterceptor<CommandMessage<?>> {

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(
            List<? extends CommandMessage<?>> messages) {
        return (index, command) -> {
            Object tagged = command.getMetaData().get(CommandMetadata.TENANT_ID);
            String payloadTenant = TenantOfPayload.of(command.getPayload()).orElse(null);
            if (!(tagged instanceof String tenant) || tenant.isBlank() || !tenant.equals(payloadTenant)) {
                throw new UntaggedMessageException("Refused command " + command.getCommandName()
                        + ": its metadata and payload must name the same tenant");
            }
            return command;
        };
    }
}
