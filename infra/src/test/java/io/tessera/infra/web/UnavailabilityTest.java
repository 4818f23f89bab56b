package io.tessera.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class UnavailabilityTest {

    @Test
    void aPoolWithoutConnectionsIsUnavailable() {
        assertThat(Unavailability.isDatabaseUnavailable(new CannotCreateTransactionException(
                        "Could not open JDBC Connection",
                        new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection"))))
                .isTrue();
    }

    @Test
    void aRollbackOnAConnectionHikariClosedIsUnavailable() {
        assertThat(Unavailability.isDatabaseUnavailable(new TransactionSystemException(
                        "JDBC rollback failed", new SQLException("Connection is closed"))))
                .isTrue();
    }

    @Test
    void aConnectionFailureFoundDeepInTheCausesIsUnavailable() {
        assertThat(Unavailability.isDatabaseUnavailable(new IllegalStateException(
                        "wrapped", new RuntimeException(new SQLException("An I/O error occurred", "08006")))))
                .isTrue();
        assertThat(Unavailability.isDatabaseUnavailable(
                        new SQLException("the database system is shutting down", "57P01")))
                .isTrue();
    }

    @Test
    void aLockNotGrantedInTimeAndASessionEndedForIdlingInItsTransactionAreUnavailable() {
        assertThat(Unavailability.isDatabaseUnavailable(new org.springframework.jdbc.UncategorizedSQLException(
                        "SELECT pg_advisory_xact_lock",
                        null,
                        new SQLException("canceling statement due to lock timeout", "55P03"))))
                .isTrue();
        assertThat(Unavailability.isDatabaseUnavailable(
                        new SQLException("terminating connection due to idle-in-transaction timeout", "25P03")))
                .isTrue();
        assertThat(Unavailability.isDatabaseUnavailable(new SQLException("object in use", "55006")))
                .isFalse();
    }

    @Test
    void aBrokenRuleOrABugIsNot() {
        assertThat(Unavailability.isDatabaseUnavailable(new DuplicateKeyException("duplicate")))
                .isFalse();
        assertThat(Unavailability.isDatabaseUnavailable(new SQLException("duplicate key", "23505")))
                .isFalse();
        assertThat(Unavailability.isDatabaseUnavailable(new IllegalStateException("boom")))
                .isFalse();
    }
}
