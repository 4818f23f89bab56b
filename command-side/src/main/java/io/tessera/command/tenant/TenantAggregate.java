package io.tessera.command.tenant;

import io.tessera.command.axon.EventSourcedAggregate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link Tenant} aggregate, registered with Axon by its feature: snapshotted and kept in memory, since every
 * creation of the tenant loads it.
 */
@Configuration(proxyBeanMethods = false)
class TenantAggregate {

    @Bean
    EventSourcedAggregate tenantEventSourced() {
        return EventSourcedAggregate.snapshotted(Tenant.class, Tenant.SNAPSHOT_REVISION);
    }
}
