package io.tessera.infra.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    /** Our SQL comes from code: a few hundred texts at most; past this, names are worked out each time. */
    static final int MAX_REMEMBERED_TEXTS = 2000;

    private final Supplier<MeterRegistry> registry;
    private final Duration threshold;
    private final StatementNames names = new StatementNames();
    // Per statement these were a bean-factory lookup, four regular expressions over the SQL and a meter
    // registration: about a tenth of the CPU samples under load (benchmarks/README.md, profile). Remembered instead.
    private final Map<String, String> nameBySql = new ConcurrentHashMap<>();
    private final Map<String, Timer> timerByName = new ConcurrentHashMap<>();
    private volatile MeterRegistry meters;

    StatementTiming(Supplier<MeterRegistry> registry, Duration threshold) {
        this.registry = registry;
        this.threshold = threshold;
    }

    String nameOf(String sql) {
        if (sql == null) {
            return names.nameOf(null);
        }
        String name = nameBySql.get(sql);
        if (name == null) {
            name = names.nameOf(sql);
            if (nameBySql.size() < MAX_REMEMBERED_TEXTS) {
                nameBySql.put(sql, name);
            }
        }
        return name;
    }

    /** The registry once there is one (it is a singleton: looked up until found, then kept). */
    private MeterRegistry meters() {
        MeterRegistry found = meters;
        if (found == null) {
            found = registry.get();
            meters = found;
        }
        return found;
    }

    void record(String statement, long nanos) {
        MeterRegistry meters = meters();
        if (meters != null) {
            timerByName
                    .computeIfAbsent(
                            statement,
                            name -> Timer.builder("tessera.db.statement")
                                    .description("Execution time of JDBC statements, by statement name")
                                    .tag("statement", name)
                                    .register(meters))
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
