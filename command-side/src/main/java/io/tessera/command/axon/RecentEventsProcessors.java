package io.tessera.command.axon;

import java.time.Instant;
import java.util.List;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.springframework.context.annotation.Bean;

/** A tracking processor for each {@link RecentEventsHandler}, on every instance, with a token never stored. */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class RecentEventsProcessors {

    @Bean
    ConfigurerCustomizer recentEventsProcessing(List<RecentEventsHandler> handlers) {
        return configurer -> configurer.eventProcessing(processing -> handlers.forEach(handler -> processing
                .registerTrackingEventProcessor(
                        handler.processorName(),
                        Configuration::eventStore,
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andBatchSize(100)
                                .andInitialSegmentsCount(1)
                                .andInitialTrackingToken(source ->
                                        source.createTokenAt(Instant.now().minus(handler.window()))))
                .registerTokenStore(handler.processorName(), c -> new InMemoryTokenStore())
                .assignHandlerInstancesMatching(handler.processorName(), candidate -> candidate == handler)
                .registerEventHandler(c -> handler)));
    }
}
