-- Read models of the query side. Every key and every index leads with tenant_id: a query without
-- a tenant has no index to use. Each row keeps the aggregate sequence it reflects as version, so a
-- redelivered event is a no-op. Deleted rows stay as tombstones (deleted_at) so that a redelivered
-- creation cannot bring them back.

CREATE TABLE tenants (
    id                   TEXT PRIMARY KEY,
    name                 TEXT        NOT NULL,
    slug                 TEXT        NOT NULL UNIQUE,
    status               TEXT        NOT NULL DEFAULT 'active',
    deployments_per_hour INTEGER,
    workflows_per_hour   INTEGER,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    version              BIGINT      NOT NULL
);

CREATE TABLE deployments (
    tenant_id    TEXT        NOT NULL,
    id           TEXT        NOT NULL,
    project_name TEXT        NOT NULL,
    status       TEXT        NOT NULL,
    url          TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    deleted_at   TIMESTAMPTZ,
    version      BIGINT      NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE INDEX deployments_by_created ON deployments (tenant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX deployments_by_status ON deployments (tenant_id, status, created_at DESC, id DESC) WHERE deleted_at IS NULL;

CREATE TABLE workflows (
    tenant_id  TEXT        NOT NULL,
    id         TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    status     TEXT        NOT NULL,
    config     JSONB       NOT NULL DEFAULT '{}'::jsonb,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    deleted_at TIMESTAMPTZ,
    version    BIGINT      NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE INDEX workflows_by_created ON workflows (tenant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX workflows_by_status ON workflows (tenant_id, status, created_at DESC, id DESC) WHERE deleted_at IS NULL;

CREATE TABLE users (
    tenant_id  TEXT        NOT NULL,
    id         TEXT        NOT NULL,
    email      TEXT        NOT NULL,
    role       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    deleted_at TIMESTAMPTZ,
    version    BIGINT      NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE UNIQUE INDEX users_email_per_tenant ON users (tenant_id, email) WHERE deleted_at IS NULL;
CREATE INDEX users_by_created ON users (tenant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;

-- Counters kept by the projections, one row per tenant, kind (deployment, workflow, user) and status
-- (the role for users); totals are sums over a tenant's handful of rows, never a count of the items.
CREATE TABLE tenant_stats (
    tenant_id  TEXT        NOT NULL,
    kind       TEXT        NOT NULL,
    status     TEXT        NOT NULL,
    count      BIGINT      NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, kind, status)
);

-- The highest global position applied per tenant: what read-your-writes waits for.
CREATE TABLE projection_positions (
    tenant_id  TEXT PRIMARY KEY,
    position   BIGINT      NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Trigram indexes make the case-insensitive "name contains" filter indexable. pg_trgm needs a role
-- allowed to create it; without it the filter still works, by scanning the tenant's rows.
DO $$
DECLARE
    trgm_schema TEXT;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm not available (%): the q filter will scan', SQLERRM;
    END;
    SELECT n.nspname INTO trgm_schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    IF trgm_schema IS NOT NULL THEN
        EXECUTE format('CREATE INDEX deployments_project_name_trgm ON deployments USING gin (lower(project_name) %I.gin_trgm_ops) WHERE deleted_at IS NULL', trgm_schema);
        EXECUTE format('CREATE INDEX workflows_name_trgm ON workflows USING gin (lower(name) %I.gin_trgm_ops) WHERE deleted_at IS NULL', trgm_schema);
    END IF;
END
$$;
