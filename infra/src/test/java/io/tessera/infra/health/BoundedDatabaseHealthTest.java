package io.tessera.infra.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The bound itself, with a data source that never answers (the frozen link of {@code OutageFaultIT}). */
class BoundedDatabaseHealthTest {

    @Test
    void aDatabaseThatDoesNotAnswerIsDownAtTheBoundAndHoldsOneProbeOnly() {
        CountDownLatch frozen = new CountDownLatch(1);
        AtomicInteger probes = new AtomicInteger();
        BoundedDatabaseHealth health = new BoundedDatabaseHealth(hanging(frozen, probes), Duration.ofMillis(200));
        try {
            for (int i = 0; i < 3; i++) {
                long asked = System.nanoTime();
                Health answer = health.health();

                assertThat(answer.getStatus()).isEqualTo(Status.DOWN);
                assertThat(answer.getDetails()).containsEntry("error", "no answer within 200 ms");
                assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(5));
            }
            assertThat(probes)
                    .as("one probe waits; the checks after it wait on the same one")
                    .hasValue(1);
        } finally {
            frozen.countDown();
            health.destroy();
        }
    }

    @Test
    void aDatabaseThatRefusesIsDownWithItsStateOnly() {
        BoundedDatabaseHealth health = new BoundedDatabaseHealth(refusing(), Duration.ofSeconds(2));
        try {
            Health answer = health.health();

            assertThat(answer.getStatus()).isEqualTo(Status.DOWN);
            assertThat(answer.getDetails()).containsEntry("error", "SQLSTATE 08001");
            assertThat(answer.getDetails().toString()).doesNotContain("secret-host");
        } finally {
            health.destroy();
        }
    }

    private static DataSource hanging(CountDownLatch frozen, AtomicInteger probes) {
        return new NoDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                probes.incrementAndGet();
                try {
                    frozen.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new SQLException("link gone", "08006");
            }
        };
    }

    private static DataSource refusing() {
        return new NoDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                throw new SQLException("Connection to secret-host:5432 refused", "08001");
            }
        };
    }

    private abstract static class NoDataSource implements DataSource {

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
