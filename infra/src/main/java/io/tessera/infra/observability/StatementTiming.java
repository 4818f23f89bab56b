package io.tessera.infra.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Times each JDBC statement: {@code tessera.db.statement{statement}} for all; one at or above the threshold is
 * also logged at WARN with its name (never its SQL text or parameters) and the tenant of the work that ran it,
 * and counted in {@code tessera.db.slow.statements{tenant,statement}}.
 */
final class StatementTiming {

    private static final Logger log = LoggerFactory.getLogger(StatementTiming.class);

    private final Supplier<MeterRegistry> registry;
    private final Duration threshold;
    private final StatementNames names = new StatementNames();

    StatementTiming(Supplier<MeterRegistry> registry, Duration threshold) {
        this.registry = registry;
        this.threshold = threshold;
    }

    String nameOf(String sql) {
        return names.nameOf(sql);
    }

    void record(String statement, long nanos) {
        MeterRegistry meters = registry.get();
        if (meters != null) {
            Timer.builder("tessera.db.statement")
                    .description("Execution time of JDBC statements, by statement name")
                    .tag("statement", statement)
                    .register(meters)
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
        if (nanos < threshold.toNanos()) {
            return;
        }
        String tenant = MDC.get("tenant_id");
        tenant = tenant == null ? TenantTagCap.NONE : tenant;
        log.warn(
                "Slow statement '{}' took {} ms (threshold {} ms)",
                statement,
                TimeUnit.NANOSECONDS.toMillis(nanos),
                threshold.toMillis());
        if (meters != null) {
            Counter.builder("tessera.db.slow.statements")
                    .description("JDBC statements at or above the slow-statement threshold")
                    .tag("tenant", tenant)
                    .tag("statement", statement)
                    .register(meters)
                    .increment();
        }
    }
}
