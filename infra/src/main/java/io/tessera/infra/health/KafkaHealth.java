package io.tessera.infra.health;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Whether the Kafka cluster answers: {@code describeCluster} through an admin client of the side's own settings
 * (security included), bounded and its answer reused ({@link BoundedProbe}). Unreachable is
 * {@link Status#OUT_OF_SERVICE}, not DOWN: readiness counts it, the overall health does not (the sides keep
 * answering without Kafka, the event store being the outbox; see the sides' {@code management.endpoint.health}).
 */
public final class KafkaHealth implements HealthIndicator, DisposableBean {

    private final Map<String, Object> adminSettings;
    private final Duration bound;
    private final BoundedProbe probe;
    private Admin admin;

    public KafkaHealth(Map<String, Object> clientSettings, Duration bound, Duration reuseFor) {
        this.bound = bound;
        this.adminSettings = new HashMap<>(clientSettings);
        int millis = (int) Math.max(1, bound.toMillis());
        adminSettings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        adminSettings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        adminSettings.put(AdminClientConfig.CLIENT_ID_CONFIG, "tessera-health");
        this.probe = new BoundedProbe(
                "tessera-kafka-health",
                this::probeOnce,
                bound,
                reuseFor,
                () -> Health.outOfService().withDetail("cluster", "Kafka"),
                Clock.systemUTC());
    }

    @Override
    public Health health() {
        return probe.health();
    }

    private Health probeOnce() {
        try {
            Collection<Node> brokers = admin().describeCluster(
                            new DescribeClusterOptions().timeoutMs((int) bound.toMillis()))
                    .nodes()
                    .get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return Health.up()
                    .withDetail("cluster", "Kafka")
                    .withDetail("brokers", brokers.size())
                    .build();
        } catch (TimeoutException e) {
            return unreachable("no answer within " + bound.toMillis() + " ms");
        } catch (ExecutionException e) {
            // The client's message names hosts: the kind of failure says enough.
            return unreachable(e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable("interrupted");
        }
    }

    private static Health unreachable(String error) {
        return Health.outOfService()
                .withDetail("cluster", "Kafka")
                .withDetail("error", error)
                .build();
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminSettings);
        }
        return admin;
    }

    @Override
    public synchronized void destroy() {
        probe.close();
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
