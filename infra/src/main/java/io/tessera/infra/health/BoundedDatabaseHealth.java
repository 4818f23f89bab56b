package io.tessera.infra.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The database's health, answered within {@code bound} ({@link BoundedProbe}: one probe at a time, DOWN at the
 * bound while it hangs). The probe is {@code SELECT 1} on a pooled connection, run anew on every check.
 */
public final class BoundedDatabaseHealth implements HealthIndicator, DisposableBean {

    private final DataSource dataSource;
    private final Duration bound;
    private final BoundedProbe probe;

    public BoundedDatabaseHealth(DataSource dataSource, Duration bound) {
        this.dataSource = dataSource;
        this.bound = bound;
        this.probe = new BoundedProbe(
                "tessera-database-health",
                this::probeOnce,
                bound,
                Duration.ZERO,
                () -> Health.down().withDetail("database", "PostgreSQL"),
                Clock.systemUTC());
    }

    @Override
    public Health health() {
        return probe.health();
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
        probe.close();
    }
}
