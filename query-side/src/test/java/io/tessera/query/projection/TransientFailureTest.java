package io.tessera.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionSystemException;

/** Which projection failures are retried (the database away) and which dead-letter the event (the event itself). */
class TransientFailureTest {

    @Test
    void aConnectionClosedUnderTheProjectorIsRetriedNotDeadLettered() {
        // What a frozen link gives: Hikari's closed proxy (no SQLSTATE), then the failed rollback on top of it.
        SQLException closed = new SQLException("Connection is closed");
        assertThat(ProjectionFailures.isTransient(closed)).isTrue();
        assertThat(ProjectionFailures.isTransient(new TransactionSystemException("rollback failed", closed)))
                .isTrue();
        assertThat(ProjectionFailures.isTransient(new SQLException("terminating connection", "57P01")))
                .isTrue();
    }

    @Test
    void aFailureOfTheEventItselfIsNotTransient() {
        assertThat(ProjectionFailures.isTransient(
                        new DataIntegrityViolationException("duplicate", new SQLException("duplicate key", "23505"))))
                .isFalse();
        assertThat(ProjectionFailures.isTransient(new IllegalStateException("unknown status")))
                .isFalse();
    }
}
