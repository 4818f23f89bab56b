package io.tessera.query.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.query.tenancy.TenantTransactions;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Warms the cache once after a start, as soon as the invalidation consumer follows the events (nothing is
 * cached before): for the {@code tessera.cache.warm-tenants} (50) most recently active tenants of the
 * directory, every {@link CacheWarming}'s answers, in the background. The hottest keys are derived, not
 * persisted: the first page of each list and the stats are what dashboards open first, and the tenants
 * whose directory row changed last (creation, quota, lifecycle) stand in for the active ones. {@code 0}
 * turns it off. Counted in {@code tessera.cache.warmed}.
 */
@Component
class CacheWarmer {

    private static final Logger log = LoggerFactory.getLogger(CacheWarmer.class);

    private final TenantTransactions transactions;
    private final JdbcClient jdbc;
    private final List<CacheWarming> warmings;
    private final int tenants;
    private final Counter warmed;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean finished;

    CacheWarmer(
            TenantTransactions transactions,
            JdbcClient jdbc,
            List<CacheWarming> warmings,
            @Value("${tessera.cache.warm-tenants:50}") int tenants,
            ObjectProvider<MeterRegistry> registry) {
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.warmings = warmings;
        this.tenants = tenants;
        MeterRegistry meters = registry.getIfAvailable();
        this.warmed = meters == null
                ? null
                : Counter.builder("tessera.cache.warmed")
                        .description("Tenants whose first pages and stats were loaded into the cache after a start")
                        .register(meters);
    }

    /** Called whenever the cache starts following the events; warms on the first time only. */
    void following() {
        if (tenants <= 0 || !done.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(this::warm, "tessera-cache-warmer");
        thread.setDaemon(true);
        thread.start();
    }

    void warm() {
        try {
            List<String> hottest = transactions.readWholeDirectory(() -> jdbc.sql(
                            "SELECT id FROM tenants WHERE status = 'active' ORDER BY updated_at DESC, id LIMIT :limit")
                    .param("limit", tenants)
                    .query(String.class)
                    .list());
            for (String tenantId : hottest) {
                warmings.forEach(warming -> warming.warm(tenantId));
                if (warmed != null) {
                    warmed.increment();
                }
            }
            log.info("Cache warmed for {} tenants", hottest.size());
        } catch (RuntimeException e) {
            log.warn("Cache warming stopped: {}", e.toString());
        } finally {
            finished = true;
        }
    }

    /** Whether the one warming after the start has run to its end. */
    boolean finished() {
        return finished;
    }
}
