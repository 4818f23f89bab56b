package io.tessera.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatementLatencyTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private Timer statement(String name) {
        return Timer.builder("tessera.db.statement")
                .tag("statement", name)
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50))
                .register(meters);
    }

    @Test
    void theQuantileIsInterpolatedInTheBucketThatHoldsItAcrossAllStatements() {
        Timer select = statement("select a");
        Timer insert = statement("insert b");
        for (int i = 0; i < 90; i++) {
            select.record(Duration.ofMillis(2));
        }
        for (int i = 0; i < 10; i++) {
            insert.record(Duration.ofMillis(30));
        }

        StatementLatency.Quantile p95 = StatementLatency.of(meters, 0.95);

        assertThat(p95.statements()).isEqualTo(100);
        // Rank 95 lies halfway through the 10 statements of the (10 ms, 50 ms] bucket.
        assertThat(p95.millis()).isCloseTo(30, within(0.001));
    }

    @Test
    void noStatementsIsNoFigureAndBeyondTheLastBucketIsInfinite() {
        assertThat(StatementLatency.of(meters, 0.95).millis()).isNaN();
        statement("slow").record(Duration.ofSeconds(1));
        assertThat(StatementLatency.of(meters, 0.95).millis()).isInfinite();
    }
}
