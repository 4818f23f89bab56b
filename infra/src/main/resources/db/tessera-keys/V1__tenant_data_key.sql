-- The tenants' data keys, wrapped by the master key (TESSERA_MASTER_KEY), one row per tenant and version.
-- Both sides use this schema (the command side seals, the query side opens) through io.tessera.infra.pii
-- only, as the login user: neither tessera_query_api nor tessera_query_projector is granted anything here,
-- so no read-model query, forgotten tenant filter or injection in an API read can reach a key.
-- Shredding sets wrapped_key to NULL and keeps the row: versions are never reused, and the row records
-- when the tenant's personal data became unreadable.
CREATE TABLE tenant_data_key (
    tenant_id     TEXT        NOT NULL,
    version       INTEGER     NOT NULL CHECK (version >= 1),
    wrapped_key   BYTEA,
    master_key_id TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    destroyed_at  TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, version),
    CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
);
