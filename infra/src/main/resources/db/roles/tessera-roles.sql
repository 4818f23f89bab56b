-- The roles of Tessera's database, run by a superuser (or a role with CREATEROLE) in Tessera's database before
-- either side starts, and again after each upgrade: every statement is idempotent. The embedded server runs it at
-- every start (io.tessera.infra.runtime.LocalPostgres), docker-compose.yml on a new volume
-- (infra/postgres/10-tessera-roles.sh, which also sets the passwords). README "Database roles" says who does what.
--
--   tessera_owner            owns the schemas and tables; runs the migrations and a rebuild's DDL, nothing else
--   tessera_command          the command side's login: its tables, tenant rows only where they carry a tenant
--   tessera_query            the query side's login: NOINHERIT, so it reaches a read table only after SET ROLE
--   tessera_query_api        the query API's reads, one tenant at a time (row-level security)
--   tessera_query_projector  the projections' writes, every tenant's rows (one consumer applies all tenants)
--
-- None is a superuser or bypasses row-level security, and none but tessera_owner owns anything.

DO $$
DECLARE
    r RECORD;
BEGIN
    FOR r IN SELECT * FROM (VALUES ('tessera_owner', 'LOGIN INHERIT'),
                                   ('tessera_command', 'LOGIN INHERIT'),
                                   ('tessera_query', 'LOGIN NOINHERIT'),
                                   ('tessera_query_api', 'NOLOGIN'),
                                   ('tessera_query_projector', 'NOLOGIN')) AS roles (name, options)
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I %s', r.name, r.options);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
        EXECUTE format('ALTER ROLE %I %s NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION',
            r.name, r.options);
    END LOOP;
    EXECUTE format('GRANT CONNECT, CREATE ON DATABASE %I TO tessera_owner', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO tessera_command, tessera_query', current_database());
END
$$;

-- tessera_query is NOINHERIT: it has these roles' rights only while it has SET ROLE to one of them.
GRANT tessera_query_api, tessera_query_projector TO tessera_query;

-- The query side's first migration (V3) grants these roles to the login that runs it, so that a superuser-less
-- install of then could SET ROLE; run as tessera_owner it needs the admin option on them, else it warns at every
-- fresh start. The owner gets no right it lacks: it owns every table these roles may touch.
DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 160000 THEN
        EXECUTE 'GRANT tessera_query_api, tessera_query_projector TO tessera_owner'
            ' WITH ADMIN TRUE, INHERIT FALSE, SET FALSE';
    ELSE
        EXECUTE 'GRANT tessera_query_api, tessera_query_projector TO tessera_owner WITH ADMIN OPTION';
    END IF;
END
$$;

-- A database created by an earlier version belongs to whoever ran its migrations then (a superuser): its
-- schemas and everything in them move to tessera_owner. A table moves with the sequences it owns.
DO $$
DECLARE
    s TEXT;
    o RECORD;
BEGIN
    FOR s IN SELECT nspname FROM pg_namespace
             WHERE nspname IN ('command_side', 'query_side', 'tessera_keys') OR nspname LIKE 'query\_side\_rebuild\_%'
    LOOP
        EXECUTE format('ALTER SCHEMA %I OWNER TO tessera_owner', s);
        FOR o IN SELECT c.relname, c.relkind FROM pg_class c
                 WHERE c.relnamespace = s::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
                   AND c.relowner <> 'tessera_owner'::regrole
        LOOP
            EXECUTE format('ALTER %s %I.%I OWNER TO tessera_owner',
                CASE o.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, s, o.relname);
        END LOOP;
        FOR o IN SELECT c.relname FROM pg_class c
                 WHERE c.relnamespace = s::regnamespace AND c.relkind = 'S' AND c.relowner <> 'tessera_owner'::regrole
        LOOP
            EXECUTE format('ALTER SEQUENCE %I.%I OWNER TO tessera_owner', s, o.relname);
        END LOOP;
        FOR o IN SELECT p.oid FROM pg_proc p
                 WHERE p.pronamespace = s::regnamespace AND p.proowner <> 'tessera_owner'::regrole
        LOOP
            EXECUTE format('ALTER ROUTINE %s OWNER TO tessera_owner', o.oid::regprocedure);
        END LOOP;
    END LOOP;
END
$$;
