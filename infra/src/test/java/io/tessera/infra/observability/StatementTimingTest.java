package io.tessera.infra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StatementTimingTest {

    @Test
    void looksTheRegistryUpUntilThereIsOneThenKeepsIt() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger lookups = new AtomicInteger();
        StatementTiming timing =
                new StatementTiming(() -> lookups.incrementAndGet() == 1 ? null : registry, Duration.ofSeconds(10));

        timing.record("select deployments", 1_000);
        timing.record("select deployments", 2_000);
        timing.record("select deployments", 3_000);

        assertThat(lookups).hasValue(2);
        assertThat(registry.get("tessera.db.statement")
                        .tag("statement", "select deployments")
                        .timer()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void namesTheSameTextTheSameWayEveryTime() {
        StatementTiming timing = new StatementTiming(() -> null, Duration.ofSeconds(10));
        String sql = "SELECT id FROM query_side.deployments WHERE tenant_id = ?";

        assertThat(timing.nameOf(sql)).isEqualTo("select deployments");
        assertThat(timing.nameOf(new String(sql))).isEqualTo("select deployments");
        assertThat(timing.nameOf(null)).isEqualTo("unknown");
    }
}
