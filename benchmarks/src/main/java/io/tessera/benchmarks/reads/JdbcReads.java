package io.tessera.benchmarks.reads;

import io.tessera.benchmarks.load.Call;
import io.tessera.benchmarks.system.BenchSystem;
import io.tessera.benchmarks.system.Tenants;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** The S1 mix as bare JDBC, one connection per worker, the same tenants and walks as {@link ApiReads}. */
final class JdbcReads {

    private JdbcReads() {}

    static Call against(BenchSystem system) {
        Tenants tenants = system.tenants();
        ReadSql sql;
        try {
            sql = new ReadSql(system.connect());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Map<Integer, Walk> walks = new HashMap<>();
        return new Call() {
            @Override
            public Outcome call() throws Exception {
                int tenant = tenants.skewed();
                ReadKind kind = ReadKind.next();
                Walk walk = kind == ReadKind.DEEP_PAGE ? walks.remove(tenant) : null;
                ReadSql.Key next = sql.run(kind, tenants.id(tenant), walk == null ? null : walk.from);
                int depth = walk == null ? 1 : walk.depth + 1;
                if (kind == ReadKind.DEEP_PAGE && next != null && depth < ReadKind.DEEPEST) {
                    walks.put(tenant, new Walk(next, depth));
                }
                return Outcome.OK;
            }

            @Override
            public void close() throws SQLException {
                sql.close();
            }
        };
    }

    record Walk(ReadSql.Key from, int depth) {}
}
