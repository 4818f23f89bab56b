package io.tessera.infra.web;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Failures that mean "the database is away for now" (stopped, restarting, the link cut or frozen, the pool
 * empty, a commit or rollback that failed on a broken connection, a lock not granted in time, a session ended
 * for idling in its transaction): a client should retry them, so they answer 503 {@code UNAVAILABLE} with {@code Retry-After}, never a
 * 500 and never the driver's text, and they are never remembered as a command's answer.
 */
public final class Unavailability {

    /** What {@code Retry-After} says to a client that met one. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    public static final String MESSAGE = "Temporarily unavailable; retry later";

    /** SQLSTATE classes of a database that is away: connection, resources, operator intervention, system. */
    private static final Set<String> UNAVAILABLE_STATE_CLASSES = Set.of("08", "53", "57", "58");

    /**
     * Single states of a busy or ended session: {@code 55P03} a lock not granted within {@code lock_timeout} (a
     * command's tenant lock held elsewhere, e.g. by a frozen instance), {@code 25P03} a session that PostgreSQL
     * ended for idling inside its transaction past {@code idle_in_transaction_session_timeout}.
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("55P03", "25P03");

    private static final String CLOSED = "Connection is closed";

    private Unavailability() {}

    public static boolean isDatabaseUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CannotCreateTransactionException
                    || cause instanceof TransactionSystemException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException) {
                return true;
            }
            // HikariCP's proxy of a connection it already closed as broken says so without a SQLSTATE.
            if (cause instanceof SQLException sql && sql.getSQLState() == null && CLOSED.equals(sql.getMessage())) {
                return true;
            }
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().length() >= 2
                    && (UNAVAILABLE_STATE_CLASSES.contains(sql.getSQLState().substring(0, 2))
                            || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    public static ApiException exception() {
        return new ApiException(ErrorCode.UNAVAILABLE, MESSAGE, java.util.List.of(), RETRY_AFTER);
    }
}
