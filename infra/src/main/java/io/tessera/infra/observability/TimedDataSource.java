package io.tessera.infra.observability;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The application's pool, with every statement executed on its connections timed ({@link StatementTiming}).
 * A {@link DelegatingDataSource}, so Boot still finds the Hikari pool behind it for the pool metrics. Plain
 * JDK proxies, no extra dependency: connections and statements behave exactly as the pool's own.
 */
public final class TimedDataSource extends DelegatingDataSource {

    private final StatementTiming timing;

    TimedDataSource(DataSource target, StatementTiming timing) {
        super(target);
        this.timing = timing;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return timed(obtainTargetDataSource().getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return timed(obtainTargetDataSource().getConnection(username, password));
    }

    private Connection timed(Connection connection) {
        return (Connection) Proxy.newProxyInstance(
                TimedDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                new ConnectionHandler(connection));
    }

    private final class ConnectionHandler implements InvocationHandler {

        private final Connection target;

        ConnectionHandler(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "Timed " + target;
                default:
            }
            Object result = call(target, method, args);
            return switch (method.getName()) {
                case "prepareStatement" -> statement(PreparedStatement.class, result, (String) args[0], proxy);
                case "prepareCall" -> statement(CallableStatement.class, result, (String) args[0], proxy);
                case "createStatement" -> statement(Statement.class, result, null, proxy);
                default -> result;
            };
        }

        private Object statement(Class<?> type, Object statement, String sql, Object connection) {
            return Proxy.newProxyInstance(
                    TimedDataSource.class.getClassLoader(),
                    new Class<?>[] {type},
                    new StatementHandler(statement, sql, connection));
        }
    }

    private final class StatementHandler implements InvocationHandler {

        private final Object target;
        private final Object connection;
        private String sql;

        StatementHandler(Object target, String sql, Object connection) {
            this.target = target;
            this.sql = sql;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "getConnection":
                    return connection;
                default:
            }
            if (!name.startsWith("execute")) {
                if (name.equals("addBatch") && sql == null && args != null && args.length == 1) {
                    sql = (String) args[0];
                }
                return call(target, method, args);
            }
            String statementSql = args != null && args.length > 0 && args[0] instanceof String text ? text : sql;
            long start = System.nanoTime();
            try {
                return call(target, method, args);
            } finally {
                timing.record(timing.nameOf(statementSql), System.nanoTime() - start);
            }
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
