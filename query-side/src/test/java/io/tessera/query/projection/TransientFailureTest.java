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
        assertThat(ProjectionDispatcher.isTransient(closed)).isTrue();
        assertThat(ProjectionDispatcher.isTransient(new TransactionSystemException("rollback failed", closed)))
                .isTrue();
        assertThat(ProjectionDispatcher.isTransient(new SQLException("terminating connection", "57P01")))
                .isTrue();
    }

    @Test
    void aFailureOfTheEventItselfIsNotTransient() {
        assertThat(ProjectionDispatcher.isTransient(
                        new DataIntegrityViolationException("duplicate", new SQLException("duplicate key", "23505"))))
                .isFalse();
        assertThat(ProjectionDispatcher.isTransient(new IllegalStateException("unknown status")))
                .isFalse();
    }
}
