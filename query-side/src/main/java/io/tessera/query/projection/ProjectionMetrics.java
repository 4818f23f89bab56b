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
 * ({@link DeadLetters}: unreadable, refused by a projection, or waiting behind such a one);
 * {@code tessera.events.unverified}: those of them not signed by the command side (alert: TesseraUnverifiedEvents).
 * The consumer group's lag in records is {@link ConsumerLag}.
 */
@Component
class ProjectionMetrics {

    private final MeterRegistry meters;
    private final Counter skipped;
    private final Counter unverified;
    private final Clock clock = Clock.systemUTC();

    ProjectionMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.skipped = Counter.builder("tessera.projection.skipped")
                .description("Event records put into the dead-letter store: unreadable, refused, or waiting behind one")
                .register(meters);
        this.unverified = Counter.builder("tessera.events.unverified")
                .description(
                        "Event records not signed by the command side (forged or damaged), dead-lettered unapplied")
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

    /** A record refused as not the command side's: dead-lettered, so counted as skipped as well. */
    void unverified() {
        unverified.increment();
        skipped.increment();
    }

    void deadLettered() {
        skipped.increment();
    }

    /** A record given up after its retries (the error handler's recoverer): not applied, not dead-lettered. */
    void skipped() {
        skipped.increment();
    }
}
