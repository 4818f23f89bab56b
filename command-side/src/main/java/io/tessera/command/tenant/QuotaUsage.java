package io.tessera.command.tenant;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.command.Json;
import io.tessera.command.axon.RecentEventsHandler;
import io.tessera.events.tenant.CreationQuotaConsumed;
import io.tessera.events.tenant.QuotaResource;
import io.tessera.events.tenant.TenantCreated;
import io.tessera.events.tenant.TenantQuotas;
import io.tessera.events.tenant.TenantQuotasChanged;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Quota usage per tenant as gauges: {@code tessera.quota.used}, {@code tessera.quota.limit} and
 * {@code tessera.quota.utilization} (used / limit) {@code {tenant,resource}}, over the same rolling hour the
 * {@code Tenant} aggregate counts. Fed by a tracking processor of its own on every instance, with an in-memory
 * token that starts an hour back, so each instance reports the creations of all instances, also right after a
 * start. A tenant whose quota events are older than that hour has its limits read once from its stream. The
 * aggregate stays the only judge; these figures are for watching.
 */
@Component
public class QuotaUsage implements RecentEventsHandler {

    public static final String PROCESSOR = "tessera-quota-metrics";
    public static final Duration WINDOW = Duration.ofHours(1);

    private final MeterRegistry meters;
    private final JdbcTemplate jdbc;
    private final Clock clock = Clock.systemUTC();
    private final ObjectMapper json = Json.mapper();
    private final Map<String, TenantUsage> tenants = new ConcurrentHashMap<>();

    QuotaUsage(MeterRegistry meters, JdbcTemplate jdbc) {
        this.meters = meters;
        this.jdbc = jdbc;
    }

    @Override
    public String processorName() {
        return PROCESSOR;
    }

    @Override
    public Duration window() {
        return WINDOW;
    }

    @EventHandler
    void on(TenantCreated event) {
        usage(event.tenantId(), event.quotas());
    }

    @EventHandler
    void on(TenantQuotasChanged event) {
        usage(event.tenantId(), event.quotas()).quotas = event.quotas();
    }

    @EventHandler
    void on(CreationQuotaConsumed event, @Timestamp Instant at) {
        usage(event.tenantId(), null).creations(event.resource()).add(at);
    }

    private TenantUsage usage(String tenantId, TenantQuotas known) {
        return tenants.computeIfAbsent(tenantId, id -> {
            TenantUsage usage = new TenantUsage(known != null ? known : storedQuotas(id));
            for (QuotaResource resource : QuotaResource.values()) {
                String name = resource.name().toLowerCase(Locale.ROOT);
                Gauge.builder(
                                "tessera.quota.used",
                                usage,
                                u -> u.creations(resource).count(clock.instant()))
                        .description("Creations in the tenant's rolling hour")
                        .tags("tenant", id, "resource", name)
                        .register(meters);
                Gauge.builder("tessera.quota.limit", usage, u -> u.limit(resource))
                        .description("Creations the tenant may make per rolling hour")
                        .tags("tenant", id, "resource", name)
                        .register(meters);
                Gauge.builder(
                                "tessera.quota.utilization",
                                usage,
                                u -> u.limit(resource) == 0
                                        ? 1.0
                                        : (double) u.creations(resource).count(clock.instant()) / u.limit(resource))
                        .description("Used / limit of the tenant's rolling-hour quota")
                        .tags("tenant", id, "resource", name)
                        .register(meters);
            }
            return usage;
        });
    }

    /** The latest quotas in the tenant's own stream; the defaults if it has none (provisioned on first use). */
    private TenantQuotas storedQuotas(String tenantId) {
        List<TenantQuotas> latest = jdbc.query(
                """
                SELECT payload_type, payload FROM command_side.domain_event_entry
                WHERE aggregate_identifier = ? AND payload_type IN (?, ?)
                ORDER BY sequence_number DESC LIMIT 1
                """,
                (rs, n) -> {
                    try {
                        return TenantCreated.class.getName().equals(rs.getString(1))
                                ? json.readValue(rs.getBytes(2), TenantCreated.class)
                                        .quotas()
                                : json.readValue(rs.getBytes(2), TenantQuotasChanged.class)
                                        .quotas();
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("Unreadable quota event of tenant " + tenantId, e);
                    }
                },
                tenantId,
                TenantCreated.class.getName(),
                TenantQuotasChanged.class.getName());
        return latest.isEmpty() ? TenantQuotas.DEFAULT : latest.get(0);
    }

    private static final class TenantUsage {

        volatile TenantQuotas quotas;
        private final Window deployments = new Window();
        private final Window workflows = new Window();

        TenantUsage(TenantQuotas quotas) {
            this.quotas = quotas;
        }

        Window creations(QuotaResource resource) {
            return resource == QuotaResource.DEPLOYMENT ? deployments : workflows;
        }

        int limit(QuotaResource resource) {
            return resource == QuotaResource.DEPLOYMENT ? quotas.deploymentsPerHour() : quotas.workflowsPerHour();
        }
    }

    private static final class Window {

        private final Deque<Instant> times = new ArrayDeque<>();

        synchronized void add(Instant at) {
            times.addLast(at);
        }

        synchronized int count(Instant now) {
            while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(WINDOW))) {
                times.removeFirst();
            }
            return times.size();
        }
    }
}
