package io.tessera.command.axon;

import io.tessera.command.tenant.QuotaUsage;
import java.time.Instant;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.springframework.context.annotation.Bean;

@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class QuotaUsageProcessor {

    /** Every instance reads all events of the last hour on, with a token of its own that is never stored. */
    @Bean
    ConfigurerCustomizer quotaMetricsProcessor(QuotaUsage usage) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(
                        QuotaUsage.PROCESSOR,
                        Configuration::eventStore,
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andBatchSize(100)
                                .andInitialSegmentsCount(1)
                                .andInitialTrackingToken(source ->
                                        source.createTokenAt(Instant.now().minus(QuotaUsage.WINDOW))))
                .registerTokenStore(QuotaUsage.PROCESSOR, c -> new InMemoryTokenStore())
                .assignHandlerInstancesMatching(QuotaUsage.PROCESSOR, handler -> handler instanceof QuotaUsage)
                .registerEventHandler(c -> usage));
    }
}
