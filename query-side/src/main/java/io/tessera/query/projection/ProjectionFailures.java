package io.tessera.query.projection;

import io.tessera.infra.web.Unavailability;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/** How a failure of projection work is told: retried (transient) or dead-lettered, and described in one line. */
public final class ProjectionFailures {

    /** SQLSTATE classes worth retrying: connection, transaction rollback, resources, operator, system. */
    private static final Set<String> TRANSIENT_STATE_CLASSES = Set.of("08", "40", "53", "57", "58");

    private static final int MAX_DESCRIPTION_LENGTH = 500;

    private ProjectionFailures() {}

    /**
     * A failure that may pass by itself: the database away (as the API's 503s see it, Hikari's "Connection is
     * closed" and a failed rollback included: a frozen link must never dead-letter a good event), a deadlock, a
     * serialization failure.
     */
    public static boolean isTransient(Throwable failure) {
        if (Unavailability.isDatabaseUnavailable(failure)) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().length() >= 2
                    && TRANSIENT_STATE_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    /** The root cause in one line, short: what an operator needs to find the bug, no stack trace. */
    public static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null
                ? ""
                : root.getMessage().lines().findFirst().orElse("");
        String text = root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        return text.length() > MAX_DESCRIPTION_LENGTH ? text.substring(0, MAX_DESCRIPTION_LENGTH) : text;
    }
}
