package io.tessera.query.rebuild;

import io.tessera.query.tenancy.SchemaOwner;
import io.tessera.query.tenancy.TenantTransactions;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The rebuilds' shadow schemas, {@code query_side_rebuild_<name>}: created as the owner with copies of the live
 * table's definition and of {@code tenant_stats}, read from the catalog, and dropped when the rebuild is over.
 */
@Component
class ShadowSchemas {

    static final String PREFIX = "query_side_rebuild_";
    static final String STATS = "tenant_stats";

    private final SchemaOwner owner;
    private final String live;

    ShadowSchemas(SchemaOwner owner, @Value("${spring.flyway.default-schema:query_side}") String liveSchema) {
        this.owner = owner;
        this.live = TenantTransactions.checkedSchema(liveSchema);
    }

    /**
     * The shadow schema with empty copies of the table and of {@code tenant_stats}, each as the live one is
     * defined now (read from the catalog with only pg_catalog on the search path, so every name comes back
     * qualified): keys, indexes, row-level security, policies and grants.
     */
    void create(String table, String shadow) {
        owner.administer(jdbc -> {
            jdbc.sql("SET LOCAL search_path TO pg_catalog").update();
            jdbc.sql("DROP SCHEMA IF EXISTS " + shadow + " CASCADE").update();
            jdbc.sql("CREATE SCHEMA " + shadow).update();
            jdbc.sql("GRANT USAGE ON SCHEMA " + shadow + " TO " + TenantTransactions.PROJECTOR_ROLE)
                    .update();
            copyDefinition(jdbc, table, shadow);
            copyDefinition(jdbc, STATS, shadow);
        });
    }

    private void copyDefinition(JdbcClient jdbc, String table, String shadow) {
        String source = live + "." + table;
        String target = shadow + "." + table;
        jdbc.sql("CREATE TABLE " + target + " (LIKE " + source
                        + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)")
                .update();
        List<String> statements = new ArrayList<>();
        jdbc.sql("""
                        SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', :target, conname, pg_get_constraintdef(oid))
                        FROM pg_constraint WHERE conrelid = CAST(:source AS regclass) AND contype IN ('p', 'u', 'x')
                        ORDER BY conname
                        """)
                .param("target", target)
                .param("source", source)
                .query(String.class)
                .list()
                .forEach(statements::add);
        jdbc.sql("""
                        SELECT replace(pg_get_indexdef(i.indexrelid), ' ON ' || :source || ' USING ',
                                       ' ON ' || :target || ' USING ')
                        FROM pg_index i
                        WHERE i.indrelid = CAST(:source AS regclass)
                          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                        ORDER BY i.indexrelid
                        """)
                .param("target", target)
                .param("source", source)
                .query(String.class)
                .list()
                .forEach(statements::add);
        jdbc.sql("""
                        SELECT format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', :target)
                        FROM pg_class WHERE oid = CAST(:source AS regclass) AND relrowsecurity
                        UNION ALL
                        SELECT format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', :target)
                        FROM pg_class WHERE oid = CAST(:source AS regclass) AND relforcerowsecurity
                        """)
                .param("target", target)
                .param("source", source)
                .query(String.class)
                .list()
                .forEach(statements::add);
        jdbc.sql("""
                        SELECT format('CREATE POLICY %I ON %s AS %s FOR %s TO %s', policyname, :target, permissive, cmd,
                                      (SELECT string_agg(quote_ident(r), ', ') FROM unnest(roles) r))
                               || coalesce(' USING (' || qual || ')', '')
                               || coalesce(' WITH CHECK (' || with_check || ')', '')
                        FROM pg_policies WHERE schemaname = :schema AND tablename = :table
                        ORDER BY policyname
                        """)
                .param("target", target)
                .param("schema", live)
                .param("table", table)
                .query(String.class)
                .list()
                .forEach(statements::add);
        jdbc.sql("""
                        SELECT format('GRANT %s ON %s TO %I', a.privilege_type, :target, g.rolname)
                        FROM pg_class c
                        CROSS JOIN LATERAL aclexplode(c.relacl) a
                        JOIN pg_roles g ON g.oid = a.grantee
                        WHERE c.oid = CAST(:source AS regclass) AND a.grantee <> c.relowner
                        ORDER BY g.rolname, a.privilege_type
                        """)
                .param("target", target)
                .param("source", source)
                .query(String.class)
                .list()
                .forEach(statements::add);
        statements.forEach(statement -> jdbc.sql(statement).update());
    }

    void drop(String shadow) {
        owner.administer(
                jdbc -> jdbc.sql("DROP SCHEMA IF EXISTS " + shadow + " CASCADE").update());
    }
}
