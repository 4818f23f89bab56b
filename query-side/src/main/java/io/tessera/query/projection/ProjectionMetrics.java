package io.tessera.query.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * {@code tessera.projection.lag{tenant}}: from an event's time (when the command side stored it) to its
 * projection's commit, per event; {@code tessera.projection.skipped}: records put into the dead-letter store
 * ({@link DeadLetters}: unreadable, refused by a projection, or waiting behind such a one).
 * The consumer group's lag in records is {@link ConsumerLag}.
 */
@Component
class ProjectionMetrics {

    private final MeterRegistry meters;
    private final Counter skipped;
    private final Clock clock = Clock.systemUTC();

    ProjectionMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.skipped = Counter.builder("tessera.projection.skipped")
                .description("Event records put into the dead-letter store: unreadable, refused, or waiting behind one")
                .register(meters);
    }

    void applied(ProjectedEvent event) {
        Duration lag = Duration.between(event.time(), clock.instant());
        Timer.builder("tessera.projection.lag")
                .description("Time from an event being stored to its projection being committed")
                .tag("tenant", event.tenantId())
                .register(meters)
                .record(lag.isNegative() ? Duration.ZERO : lag);
    }

    void deadLettered() {
        skipped.increment();
    }

    /** A record given up after its retries (the error handler's recoverer): not applied, not dead-lettered. */
    void skipped() {
        skipped.increment();
    }
}
