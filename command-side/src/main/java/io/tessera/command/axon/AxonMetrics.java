package io.tessera.command.axon;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.springframework.context.annotation.Bean;

/**
 * Axon's own meters in the side's registry, so {@code /actuator/prometheus} shows the command bus's, the event
 * store's and each event processor's ingested, succeeded, failed and ignored messages, their handling time and
 * the processors' latency behind the events they handle. Each component's meters are registered once, tagged by
 * the component: axon-micrometer's monitors look every meter up again for every message (a publisher segment
 * does so for each event it skips too), which cost 8 % of the command side's CPU in the write-path benchmark.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class AxonMetrics {

    @Bean
    ConfigurerCustomizer axonMeters(MeterRegistry meters) {
        Clock clock = Clock.systemUTC();
        // Axon may ask for a component's monitor more than once: the same meters answer each time.
        Map<String, MessageMonitor<Message<?>>> monitors = new ConcurrentHashMap<>();
        return configurer -> configurer.configureMessageMonitor(axon -> (type, name) -> {
            if (EventProcessor.class.isAssignableFrom(type)) {
                return monitors.computeIfAbsent(
                        "eventProcessor/" + name,
                        key -> new ComponentMeters(meters, "eventProcessor", Tags.of("processorName", name), clock));
            }
            if (CommandBus.class.isAssignableFrom(type)) {
                return monitors.computeIfAbsent(
                        "commandBus", key -> new ComponentMeters(meters, key, Tags.empty(), null));
            }
            if (EventBus.class.isAssignableFrom(type)) {
                return monitors.computeIfAbsent(
                        "eventStore", key -> new ComponentMeters(meters, key, Tags.empty(), null));
            }
            return NoOpMessageMonitor.instance();
        });
    }

    /** One component's meters; with a clock, also how far behind its last handled event's time it is. */
    private static final class ComponentMeters implements MessageMonitor<Message<?>> {

        private final Counter ingested;
        private final Counter succeeded;
        private final Counter failed;
        private final Counter ignored;
        private final Timer handling;
        private final Clock clock;
        private final AtomicLong latencyMillis = new AtomicLong();

        ComponentMeters(MeterRegistry meters, String prefix, Tags tags, Clock clock) {
            this.clock = clock;
            this.ingested = meters.counter(prefix + ".ingestedCounter", tags);
            this.succeeded = meters.counter(prefix + ".successCounter", tags);
            this.failed = meters.counter(prefix + ".failureCounter", tags);
            this.ignored = meters.counter(prefix + ".ignoredCounter", tags);
            this.handling = meters.timer(prefix + ".allTimer", tags);
            if (clock != null) {
                Gauge.builder(prefix + ".latency", latencyMillis, AtomicLong::get)
                        .tags(tags)
                        .baseUnit("milliseconds")
                        .register(meters);
            }
        }

        @Override
        public MonitorCallback onMessageIngested(Message<?> message) {
            ingested.increment();
            long start = System.nanoTime();
            if (clock != null && message instanceof EventMessage<?> event) {
                latencyMillis.set(
                        Math.max(0, clock.millis() - event.getTimestamp().toEpochMilli()));
            }
            return new MonitorCallback() {
                @Override
                public void reportSuccess() {
                    succeeded.increment();
                    handling.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                }

                @Override
                public void reportFailure(Throwable cause) {
                    failed.increment();
                    handling.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                }

                @Override
                public void reportIgnored() {
                    ignored.increment();
                }
            };
        }
    }
}
