-- The command side logs in as tessera_command, which owns nothing: the owner (tessera_owner, who runs the
-- migrations) grants it what running commands needs, and row-level security, forced so that no owner or
-- forgotten statement is exempt, holds it to the tenant of its transaction wherever a row names a tenant.
-- The tenant is transaction-local (set_config('tessera.tenant_id', ?, true)): CommandExecutor sets it with the
-- tenant's lock, the auth code before it touches a client or a token. SECURITY.md says what guards the tables
-- without a tenant column. (V4_2: another change's V4_x or V5 cannot collide with it.)

GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO tessera_command;

-- The event store is append-only for the application: no event is ever changed or deleted.
GRANT SELECT, INSERT ON domain_event_entry TO tessera_command;
GRANT USAGE, SELECT ON SEQUENCE domain_event_entry_global_index_seq TO tessera_command;
-- Axon replaces a snapshot with a newer one.
GRANT SELECT, INSERT, UPDATE, DELETE ON snapshot_event_entry TO tessera_command;
GRANT SELECT, INSERT, UPDATE, DELETE ON token_entry, processor_nodes TO tessera_command;
-- The rate limit's buckets get their grant with their table (db/infra, R__rate_limit_bucket_expiry.sql): the table
-- exists only where rate limiting is on.
GRANT SELECT, INSERT, UPDATE, DELETE ON command_log, tenant_status TO tessera_command;
GRANT SELECT, INSERT, UPDATE ON auth_client, auth_token_family, auth_refresh_token TO tessera_command;

ALTER TABLE command_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE command_log FORCE ROW LEVEL SECURITY;
ALTER TABLE tenant_status ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_status FORCE ROW LEVEL SECURITY;
ALTER TABLE auth_client ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_client FORCE ROW LEVEL SECURITY;
ALTER TABLE auth_token_family ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_token_family FORCE ROW LEVEL SECURITY;
ALTER TABLE auth_refresh_token ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_refresh_token FORCE ROW LEVEL SECURITY;

-- An unset tenant is NULL (or '' once an earlier transaction of the session set it) and matches no row.
CREATE POLICY tenant_rows ON command_log FOR ALL TO tessera_command
    USING (tenant_id = current_setting('tessera.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('tessera.tenant_id', true));
CREATE POLICY tenant_rows ON tenant_status FOR ALL TO tessera_command
    USING (tenant_id = current_setting('tessera.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('tessera.tenant_id', true));
CREATE POLICY tenant_rows ON auth_client FOR ALL TO tessera_command
    USING (tenant_id = current_setting('tessera.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('tessera.tenant_id', true));
-- A family and a refresh token carry no tenant of their own: they are the tenant's through their client, and
-- the subquery sees only the clients that auth_client's own policy shows.
CREATE POLICY tenant_rows ON auth_token_family FOR ALL TO tessera_command
    USING (EXISTS (SELECT 1 FROM auth_client c WHERE c.client_id = auth_token_family.client_id))
    WITH CHECK (EXISTS (SELECT 1 FROM auth_client c WHERE c.client_id = auth_token_family.client_id));
CREATE POLICY tenant_rows ON auth_refresh_token FOR ALL TO tessera_command
    USING (EXISTS (SELECT 1 FROM auth_token_family f WHERE f.family_id = auth_refresh_token.family_id))
    WITH CHECK (EXISTS (SELECT 1 FROM auth_token_family f WHERE f.family_id = auth_refresh_token.family_id));

-- The token endpoints learn the tenant from what the caller presents, before any tenant is set: a client id, or
-- a refresh token's SHA-256. These two functions answer that one question, and nothing else, as the owner; the
-- owner reads the auth tables for them (and for nothing else: it runs no application code).
CREATE POLICY owner_lookups ON auth_client FOR SELECT TO CURRENT_USER USING (true);
CREATE POLICY owner_lookups ON auth_token_family FOR SELECT TO CURRENT_USER USING (true);
CREATE POLICY owner_lookups ON auth_refresh_token FOR SELECT TO CURRENT_USER USING (true);

CREATE FUNCTION client_tenant(p_client_id TEXT) RETURNS TEXT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT tenant_id FROM ${flyway:defaultSchema}.auth_client WHERE client_id = p_client_id
$$;

CREATE FUNCTION refresh_token_tenant(p_token_hash BYTEA) RETURNS TEXT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT c.tenant_id
    FROM ${flyway:defaultSchema}.auth_refresh_token t
    JOIN ${flyway:defaultSchema}.auth_token_family f ON f.family_id = t.family_id
    JOIN ${flyway:defaultSchema}.auth_client c ON c.client_id = f.client_id
    WHERE t.token_hash = p_token_hash
$$;

REVOKE ALL ON FUNCTION client_tenant(TEXT), refresh_token_tenant(BYTEA) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION client_tenant(TEXT), refresh_token_tenant(BYTEA) TO tessera_command;
