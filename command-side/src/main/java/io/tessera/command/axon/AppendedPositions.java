package io.tessera.command.axon;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.AppendEventsStatementBuilder;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.JdbcEventStorageEngineStatements;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The global index each event got, read back from the append itself ({@code INSERT ... RETURNING}): a command's
 * answer carries its position, which otherwise costs a query of its own after the append. Kept for the
 * transaction that appended, per aggregate the last index; outside a transaction nothing is kept.
 */
public final class AppendedPositions {

    private static final String GLOBAL_INDEX = "global_index";
    private static final Object RESOURCE = AppendedPositions.class;

    private AppendedPositions() {}

    /** The last global index this transaction appended for the aggregate, if it appended any. */
    public static OptionalLong lastOf(String aggregateId) {
        Map<String, Long> appended = appendedInThisTransaction(false);
        Long index = appended == null ? null : appended.get(aggregateId);
        return index == null ? OptionalLong.empty() : OptionalLong.of(index);
    }

    /** Axon's own append, on a connection whose insert returns the global indexes it assigned. */
    static AppendEventsStatementBuilder statementBuilder() {
        return (connection, schema, dataType, events, serializer, timestampWriter) ->
                JdbcEventStorageEngineStatements.appendEvents(
                        returningIndexes(connection, events), schema, dataType, events, serializer, timestampWriter);
    }

    private static Connection returningIndexes(Connection connection, List<? extends EventMessage<?>> events) {
        InvocationHandler handler = (proxy, method, arguments) -> {
            if (method.getName().equals("prepareStatement")
                    && arguments != null
                    && arguments.length == 1
                    && arguments[0] instanceof String sql) {
                return recording(connection.prepareStatement(sql, new String[] {GLOBAL_INDEX}), events);
            }
            return invoke(connection, method, arguments);
        };
        return (Connection) Proxy.newProxyInstance(
                AppendedPositions.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private static PreparedStatement recording(PreparedStatement statement, List<? extends EventMessage<?>> events) {
        InvocationHandler handler = (proxy, method, arguments) -> {
            Object result = invoke(statement, method, arguments);
            if (method.getName().equals("executeBatch")) {
                record(statement, events);
            }
            return result;
        };
        return (PreparedStatement) Proxy.newProxyInstance(
                AppendedPositions.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, handler);
    }

    private static void record(PreparedStatement statement, List<? extends EventMessage<?>> events)
            throws java.sql.SQLException {
        Map<String, Long> appended = appendedInThisTransaction(true);
        if (appended == null) {
            return;
        }
        // One key per event, in the batch's order (pgjdbc runs a batch statement by statement; a rewritten
        // multi-row insert would promise no order): else nothing is kept, and the position is queried instead.
        List<Long> indexes = new ArrayList<>(events.size());
        try (ResultSet keys = statement.getGeneratedKeys()) {
            while (keys.next()) {
                indexes.add(keys.getLong(1));
            }
        }
        if (indexes.size() != events.size()) {
            return;
        }
        for (int i = 0; i < events.size(); i++) {
            EventMessage<?> event = events.get(i);
            String aggregateId = event instanceof DomainEventMessage<?> domainEvent
                    ? domainEvent.getAggregateIdentifier()
                    : event.getIdentifier();
            appended.merge(aggregateId, indexes.get(i), Math::max);
        }
    }

    private static Object invoke(Object target, Method method, Object[] arguments) throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> appendedInThisTransaction(boolean create) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        Map<String, Long> appended = (Map<String, Long>) TransactionSynchronizationManager.getResource(RESOURCE);
        if (appended == null && create) {
            Map<String, Long> bound = new HashMap<>();
            TransactionSynchronizationManager.bindResource(RESOURCE, bound);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(RESOURCE);
                }
            });
            appended = bound;
        }
        return appended;
    }
}
