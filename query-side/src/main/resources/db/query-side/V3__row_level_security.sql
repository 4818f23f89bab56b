-- Row-level security on every tenant-owned read table. The query API reads as tessera_query_api and
-- the projections write as tessera_query_projector; the application logs in as one user and switches
-- with SET LOCAL ROLE at the start of each transaction (TenantTransactions), so the role and the tenant
-- (set_config('tessera.tenant_id', ?, true)) end with the transaction and never outlive it on a pooled
-- connection. Neither role owns a table, logs in, or bypasses RLS: a query that forgets its
-- `tenant_id = ?` still sees one tenant only, and a transaction without a tenant sees no rows at all.
--
-- The projector is allowed every tenant's rows by a policy of its own rather than BYPASSRLS: one
-- consumer applies the records of all tenants (their tenant checked against the payload before), a
-- policy needs no superuser to create, stays visible in pg_policies and covers exactly these tables,
-- where BYPASSRLS would cover every table of the cluster.
--
-- Not forced (no FORCE ROW LEVEL SECURITY): the owner, i.e. whoever runs Flyway, keeps seeing every
-- row, so that a later data migration does not silently touch nothing. The application must therefore
-- never read as the owner: every statement runs in a TenantTransactions transaction.
--
-- Roles belong to the cluster, not to the database: created only if missing, tolerating a concurrent
-- creation, and refusing to go on if someone gave them BYPASSRLS.

DO $$
DECLARE
    role_name TEXT;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['tessera_query_api', 'tessera_query_projector'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS', role_name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
        IF (SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = role_name) THEN
            EXECUTE format('ALTER ROLE %I NOSUPERUSER NOBYPASSRLS', role_name);
        END IF;
        -- SET ROLE needs membership unless the login user is a superuser (as in the local runtime).
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            BEGIN
                IF current_setting('server_version_num')::int >= 160000 THEN
                    EXECUTE format('GRANT %I TO %I WITH INHERIT FALSE, SET TRUE', role_name, current_user);
                ELSE
                    EXECUTE format('GRANT %I TO %I', role_name, current_user);
                END IF;
            EXCEPTION WHEN insufficient_privilege THEN
                RAISE WARNING 'Could not grant % to %: grant it to the login user of the query side (%)',
                    role_name, current_user, SQLERRM;
            END;
        END IF;
    END LOOP;
END
$$;

GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO tessera_query_api, tessera_query_projector;

GRANT SELECT ON tenants, deployments, workflows, users, tenant_stats, projection_positions, event_log, audit_entries
    TO tessera_query_api;
GRANT SELECT, INSERT, UPDATE ON tenants, deployments, workflows, users, tenant_stats, projection_positions, event_log
    TO tessera_query_projector;

ALTER TABLE deployments ENABLE ROW LEVEL SECURITY;
ALTER TABLE workflows ENABLE ROW LEVEL SECURITY;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_stats ENABLE ROW LEVEL SECURITY;
ALTER TABLE projection_positions ENABLE ROW LEVEL SECURITY;
ALTER TABLE event_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;

-- Reading only: the API role has no write privilege either, and with no policy for writing it could not
-- touch a row even if one were granted. missing_ok = true: an unset tenant is NULL (or '' once the
-- session has set it in an earlier transaction), and matches no row.
CREATE POLICY tenant_reads ON deployments FOR SELECT TO tessera_query_api
    USING (tenant_id = current_setting('tessera.tenant_id', true));
CREATE POLICY tenant_reads ON workflows FOR SELECT TO tessera_query_api
    USING (tenant_id = current_setting('tessera.tenant_id', true));
CREATE POLICY tenant_reads ON users FOR SELECT TO tessera_query_api
    USING (tenant_id = current_setting('tessera.tenant_id', true));
CREATE POLICY tenant_reads ON tenant_stats FOR SELECT TO tessera_query_api
    USING (tenant_id = current_setting('tessera.tenant_id', true));
CREATE POLICY tenant_reads ON projection_positions FOR SELECT TO tessera_query_api
    USING (tenant_id = current_setting('tessera.tenant_id', true));
CREATE POLICY tenant_reads ON event_log FOR SELECT TO tessera_query_api
    USING (tenant_id = current_setting('tessera.tenant_id', true));

-- The tenants directory is what GET /api/tenants lists: a tenant sees its own row, a caller the rows of
-- the tenants it may act for (tessera.tenant_ids, comma-separated: a tenant id has no comma), and a
-- platform admin every row (tessera.all_tenants = 'on'). Both settings open this table only, never a
-- tenant's data, and are transaction-local like the tenant.
CREATE POLICY tenant_reads ON tenants FOR SELECT TO tessera_query_api
    USING (id = current_setting('tessera.tenant_id', true)
        OR id = ANY (string_to_array(current_setting('tessera.tenant_ids', true), ','))
        OR current_setting('tessera.all_tenants', true) = 'on');

CREATE POLICY projector_writes ON deployments FOR ALL TO tessera_query_projector USING (true) WITH CHECK (true);
CREATE POLICY projector_writes ON workflows FOR ALL TO tessera_query_projector USING (true) WITH CHECK (true);
CREATE POLICY projector_writes ON users FOR ALL TO tessera_query_projector USING (true) WITH CHECK (true);
CREATE POLICY projector_writes ON tenant_stats FOR ALL TO tessera_query_projector USING (true) WITH CHECK (true);
CREATE POLICY projector_writes ON projection_positions FOR ALL TO tessera_query_projector USING (true) WITH CHECK (true);
CREATE POLICY projector_writes ON event_log FOR ALL TO tessera_query_projector USING (true) WITH CHECK (true);
CREATE POLICY projector_writes ON tenants FOR ALL TO tessera_query_projector USING (true) WITH CHECK (true);

-- A view reads its tables with its owner's rights, and the owner bypasses RLS: the audit view has to be
-- security_invoker, so that event_log's policies apply to whoever reads it. That option exists from
-- PostgreSQL 15 on; the embedded server of the local runtime is 14, where the view instead filters on
-- the tenant setting itself (kept on 15+ too, so the view means the same everywhere). security_barrier:
-- no condition of a reader is evaluated before that filter.
CREATE OR REPLACE VIEW audit_entries WITH (security_barrier = true) AS
SELECT tenant_id,
       position,
       time,
       actor,
       regexp_replace(type, '^tessera\.(.+)\.v[0-9]+$', '\1')                  AS action,
       split_part(regexp_replace(type, '^tessera\.(.+)\.v[0-9]+$', '\1'), '.', 1) AS resource_type,
       subject                                                                 AS resource_id,
       command_id,
       'accepted'                                                              AS outcome
FROM event_log
WHERE type <> 'tessera.tenant.creation-quota-consumed.v1'
  AND tenant_id = current_setting('tessera.tenant_id', true);

DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 150000 THEN
        EXECUTE 'ALTER VIEW audit_entries SET (security_invoker = true)';
    ELSE
        RAISE NOTICE 'PostgreSQL % has no security_invoker views: audit_entries filters on tessera.tenant_id itself',
            current_setting('server_version');
    END IF;
END
$$;
