-- The query side logs in as tessera_query, which owns nothing and is NOINHERIT: it reaches a read table only
-- after SET LOCAL ROLE tessera_query_api or tessera_query_projector (TenantTransactions), so a statement that
-- forgets the switch, or follows a RESET ROLE, is refused rather than shown every tenant. Row-level security is
-- now forced too: the owner (tessera_owner, who runs the migrations and a rebuild's DDL) is held to the policies
-- like everyone else, and none names it, so it reads and writes no tenant's row.
-- (V10_1: another change's V11 cannot collide with it.)

GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO tessera_query;
-- The rate limit's buckets (io.tessera.infra.ratelimit) are kept by the login itself, outside any tenant's role;
-- they get their grant with their table (db/infra, R__rate_limit_bucket_expiry.sql), where rate limiting is on.

ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
ALTER TABLE deployments FORCE ROW LEVEL SECURITY;
ALTER TABLE workflows FORCE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
ALTER TABLE tenant_stats FORCE ROW LEVEL SECURITY;
ALTER TABLE projection_positions FORCE ROW LEVEL SECURITY;
ALTER TABLE event_log FORCE ROW LEVEL SECURITY;
ALTER TABLE projection_rebuilds FORCE ROW LEVEL SECURITY;
ALTER TABLE dead_letters FORCE ROW LEVEL SECURITY;

-- The switch of a whole-table rebuild (io.tessera.query.projection.ProjectionRebuilds): in the projector's
-- transaction, which holds the live table's lock and has replayed the last events, the live table is dropped and
-- the shadow moved into its place. Dropping takes the owner: this function does that one thing as the owner, for
-- a table whose shadow the owner built (schema query_side_rebuild_<table>, created through the owner's own
-- connection), and only the projector may call it.
CREATE FUNCTION swap_in_rebuilt(p_table TEXT) RETURNS VOID
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    shadow TEXT := 'query_side_rebuild_' || p_table;
BEGIN
    IF p_table !~ '^[a-z_][a-z0-9_]{0,40}$' OR to_regclass(format('%I.%I', shadow, p_table)) IS NULL
        OR to_regclass(format('%I.%I', '${flyway:defaultSchema}', p_table)) IS NULL THEN
        RAISE EXCEPTION 'No rebuilt table % to swap in', p_table USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('DROP TABLE %I.%I', '${flyway:defaultSchema}', p_table);
    EXECUTE format('ALTER TABLE %I.%I SET SCHEMA %I', shadow, p_table, '${flyway:defaultSchema}');
END
$$;

REVOKE ALL ON FUNCTION swap_in_rebuilt(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION swap_in_rebuilt(TEXT) TO tessera_query_projector;
