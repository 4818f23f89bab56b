package io.tessera.command.axon;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Optional;

/** Reads the {@code tenantId} component that every command and event record of the published language has. */
final class TenantOfPayload {

    private static final ClassValue<Optional<RecordComponent>> COMPONENT = new ClassValue<>() {
        @Override
        protected Optional<RecordComponent> computeValue(Class<?> type) {
            if (!type.isRecord()) {
                return Optional.empty();
            }
            return Arrays.stream(type.getRecordComponents())
                    .filter(c -> c.getName().equals("tenantId") && c.getType() == String.class)
                    .findFirst();
        }
    };

    private TenantOfPayload() {}

    static Optional<String> of(Object payload) {
        if (payload == null) {
            return Optional.empty();
        }
        return COMPONENT.get(payload.getClass()).map(component -> {
            try {
                return (String) component.getAccessor().invoke(payload);
            } catch (ReflectiveOperationException e) {
                return null;
            }
        });
    }
}
