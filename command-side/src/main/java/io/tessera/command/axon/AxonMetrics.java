package io.tessera.command.axon;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.springframework.context.annotation.Bean;

/**
 * Axon's own meters (axon-micrometer) in the side's registry, so {@code /actuator/prometheus} shows each event
 * processor's latency, processed, failed and ingested counts, and the event store's and command bus's the same
 * way. Tagged by component name rather than one meter name per processor, as Prometheus expects.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class AxonMetrics {

    @Bean
    ConfigurerCustomizer axonMeters(MeterRegistry meters) {
        return configurer -> new GlobalMetricRegistry(meters).registerWithConfigurerWithDefaultTags(configurer);
    }
}
