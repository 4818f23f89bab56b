package io.tessera.infra.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class BoundedProbeTest {

    private final MovableClock clock = new MovableClock();
    private final AtomicInteger probes = new AtomicInteger();

    @Test
    void anAnswerIsReusedForItsTimeThenAskedAgain() {
        try (BoundedProbe probe = new BoundedProbe(
                "test-probe",
                () -> Health.up().withDetail("probe", probes.incrementAndGet()).build(),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Health::outOfService,
                clock)) {
            assertThat(probe.health().getDetails()).containsEntry("probe", 1);
            clock.advance(Duration.ofSeconds(4));
            assertThat(probe.health().getDetails()).containsEntry("probe", 1);
            clock.advance(Duration.ofSeconds(2));
            assertThat(probe.health().getDetails()).containsEntry("probe", 2);
            assertThat(probes).hasValue(2);
        }
    }

    @Test
    void aProbeThatFailsAnswersTheSilentStatusWithTheKindOfFailureOnly() {
        try (BoundedProbe probe = new BoundedProbe(
                "test-probe",
                () -> {
                    throw new IllegalStateException("secret-host:9092 refused");
                },
                Duration.ofSeconds(2),
                Duration.ZERO,
                Health::outOfService,
                clock)) {
            Health answer = probe.health();
            assertThat(answer.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(answer.getDetails()).containsEntry("error", "IllegalStateException");
            assertThat(answer.getDetails().toString()).doesNotContain("secret-host");
        }
    }

    private static final class MovableClock extends Clock {

        private volatile Instant now = Instant.parse("2026-12-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
