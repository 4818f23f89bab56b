package io.tessera.infra.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The database's health, answered within {@code bound}. The probe ({@code SELECT 1} on a pooled connection) runs
 * on a thread of its own, one at a time: while a probe hangs, every check answers DOWN at the bound and waits on
 * that same probe, so a frozen link holds one thread, not one per health request.
 */
public final class BoundedDatabaseHealth implements HealthIndicator, DisposableBean {

    private final DataSource dataSource;
    private final Duration bound;
    private final ExecutorService prober = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tessera-database-health");
        thread.setDaemon(true);
        return thread;
    });
    private CompletableFuture<Health> probe =
            CompletableFuture.completedFuture(Health.unknown().build());

    public BoundedDatabaseHealth(DataSource dataSource, Duration bound) {
        this.dataSource = dataSource;
        this.bound = bound;
    }

    @Override
    public Health health() {
        CompletableFuture<Health> current;
        synchronized (this) {
            if (probe.isDone()) {
                probe = CompletableFuture.supplyAsync(this::probeOnce, prober);
            }
            current = probe;
        }
        try {
            return current.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Health.down()
                    .withDetail("database", "PostgreSQL")
                    .withDetail("error", "no answer within " + bound.toMillis() + " ms")
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        } catch (ExecutionException e) {
            return Health.down()
                    .withDetail("error", e.getCause().getClass().getSimpleName())
                    .build();
        }
    }

    private Health probeOnce() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, bound.toSeconds()));
            statement.execute("SELECT 1");
            return Health.up().withDetail("database", "PostgreSQL").build();
        } catch (SQLException e) {
            // The driver's message may name hosts and users: the state says enough.
            return Health.down()
                    .withDetail("database", "PostgreSQL")
                    .withDetail("error", "SQLSTATE " + e.getSQLState())
                    .build();
        }
    }

    @Override
    public void destroy() {
        prober.shutdownNow();
    }
}
