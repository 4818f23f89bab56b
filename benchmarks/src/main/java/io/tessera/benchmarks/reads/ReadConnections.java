package io.tessera.benchmarks.reads;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * As many {@link ReadSql} connections as the query side's pool holds, shared by all the bare path's workers: a
 * worker waits for a free one as a request of the API waits for its pool, so the database sees the same number of
 * sessions at most, and the workers can outnumber them without the client becoming the limit.
 */
final class ReadConnections implements AutoCloseable {

    /** Opens one connection of the query side's login. */
    interface Login {
        Connection open() throws SQLException;
    }

    private final List<ReadSql> all = new ArrayList<>();
    private final BlockingQueue<ReadSql> free;

    ReadConnections(Login login, int size) throws SQLException {
        free = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                ReadSql sql = new ReadSql(login.open());
                all.add(sql);
                free.add(sql);
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    int size() {
        return all.size();
    }

    ReadSql.Key run(ReadKind kind, String tenant, ReadSql.Key from) throws SQLException, InterruptedException {
        ReadSql sql = free.take();
        try {
            return sql.run(kind, tenant, from);
        } finally {
            free.add(sql);
        }
    }

    /** Statements sent so far over all connections (read between steps, when none is in use). */
    long statements() {
        return all.stream().mapToLong(ReadSql::statements).sum();
    }

    @Override
    public void close() {
        for (ReadSql sql : all) {
            try {
                sql.close();
            } catch (SQLException e) {
                System.err.println("closing a bare JDBC connection failed: " + e);
            }
        }
    }
}
