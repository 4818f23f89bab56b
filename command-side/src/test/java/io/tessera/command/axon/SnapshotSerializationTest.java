package io.tessera.command.axon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.command.tenant.Tenant;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotSerializationTest {

    @Test
    void tenantSnapshotKeepsQuotasAndTheCreationWindow() throws Exception {
        Constructor<Tenant> constructor = Tenant.class.getDeclaredConstructor();
        constructor.setAccessible(true);
        Tenant tenant = constructor.newInstance();
        set(tenant, "tenantId", "acme");
        set(tenant, "quotas", io.tessera.events.tenant.TenantQuotas.DEFAULT);
        set(tenant, "deploymentCreations", new ArrayDeque<>(List.of(Instant.parse("2030-01-01T10:00:00Z"))));
        Object suspended = lifecycle("SUSPENDED");
        set(tenant, "lifecycle", suspended);

        ObjectMapper mapper = AxonConfiguration.snapshotMapper();
        Tenant copy = mapper.readValue(mapper.writeValueAsBytes(tenant), Tenant.class);

        assertThat(get(copy, "tenantId")).isEqualTo("acme");
        assertThat(get(copy, "quotas")).isEqualTo(io.tessera.events.tenant.TenantQuotas.DEFAULT);
        assertThat(List.copyOf((Deque<?>) get(copy, "deploymentCreations")))
                .isEqualTo(List.of(Instant.parse("2030-01-01T10:00:00Z")));
        assertThat(get(copy, "lifecycle")).isEqualTo(suspended);
    }

    @Test
    void aSnapshotFromBeforeTheLifecycleReadsAsActive() throws Exception {
        ObjectMapper mapper = AxonConfiguration.snapshotMapper();
        Tenant copy = mapper.readValue("{\"tenantId\":\"acme\"}", Tenant.class);

        assertThat(get(copy, "lifecycle")).isEqualTo(lifecycle("ACTIVE"));
    }

    private static Object lifecycle(String name) throws Exception {
        for (Object constant :
                Tenant.class.getDeclaredField("lifecycle").getType().getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(name)) {
                return constant;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static void set(Object target, String name, Object value) throws Exception {
        Field field = target.getClass().getDeclaredField(name);
        field.setAccessible(true);
        field.set(target, value);
    }

    private static Object get(Object target, String name) throws Exception {
        Field field = target.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }
}
