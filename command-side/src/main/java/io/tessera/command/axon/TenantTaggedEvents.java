package io.tessera.command.axon;

import java.util.List;
import java.util.function.BiFunction;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;

/**
 * Fails closed on the way into the event store: an event is stored only with {@code tenant_id} metadata
 * equal to its payload's tenant, so no event can ever leave the command side untagged.
 */
final class TenantTaggedEvents implements MessageDispatchInterceptor<EventMessage<?>> {

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        return (index, event) -> {
            Object tagged = event.getMetaData().get(CommandMetadata.TENANT_ID);
            String payloadTenant = TenantOfPayload.of(event.getPayload()).orElse(null);
            if (!(tagged instanceof String tenant) || tenant.isBlank() || !tenant.equals(payloadTenant)) {
                throw new UntaggedMessageException("Refused to store "
                        + event.getPayloadType().getSimpleName()
                        + ": its tenant_id metadata must equal the payload's tenant");
            }
            return event;
        };
    }
}
