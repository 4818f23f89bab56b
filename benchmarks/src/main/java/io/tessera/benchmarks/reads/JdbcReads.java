package io.tessera.benchmarks.reads;

import io.tessera.benchmarks.load.Call;
import io.tessera.benchmarks.system.Tenants;
import java.util.HashMap;
import java.util.Map;

/** The S1 mix as bare JDBC on shared {@link ReadConnections}, the same tenants and walks as {@link ApiReads}. */
final class JdbcReads {

    private JdbcReads() {}

    static Call against(ReadConnections connections, Tenants tenants) {
        Map<Integer, Walk> walks = new HashMap<>();
        return () -> {
            int tenant = tenants.skewed();
            ReadKind kind = ReadKind.next();
            Walk walk = kind == ReadKind.DEEP_PAGE ? walks.remove(tenant) : null;
            ReadSql.Key next = connections.run(kind, tenants.id(tenant), walk == null ? null : walk.from);
            int depth = walk == null ? 1 : walk.depth + 1;
            if (kind == ReadKind.DEEP_PAGE && next != null && depth < ReadKind.DEEPEST) {
                walks.put(tenant, new Walk(next, depth));
            }
            return Call.Outcome.OK;
        };
    }

    record Walk(ReadSql.Key from, int depth) {}
}
