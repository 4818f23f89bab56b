-- Projection rebuilds and the dead-letter store (io.tessera.query.projection).
--
-- projection_rebuilds: one row per read model, the state and progress of its latest rebuild (only_tenant: the
-- one tenant rebuilt, NULL for all; operational data of the platform, no tenant's); platform admins read it
-- through the API role with tessera.platform_admin = 'on' (a transaction-local setting, like the tenant), the
-- rebuilding instance writes it as the projector.
--
-- dead_letters: records the projections could not apply, and the later events of the same aggregate that
-- wait behind them, in order (aggregate sequence, then position). tenant_id is NULL only for a record whose
-- tenant could not be trusted (unreadable, or its tenantid extension differs from the payload's): such rows
-- are for platform admins only. The record is kept as received, to be applied again on retry.

CREATE TABLE projection_rebuilds (
    name            TEXT PRIMARY KEY,
    only_tenant     TEXT,
    state           TEXT        NOT NULL,
    events_replayed BIGINT      NOT NULL DEFAULT 0,
    events_skipped  BIGINT      NOT NULL DEFAULT 0,
    events_total    BIGINT      NOT NULL DEFAULT 0,
    started_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    error           TEXT
);

CREATE TABLE dead_letters (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT,
    aggregate_id    TEXT,
    sequence        BIGINT,
    position        BIGINT,
    event_id        TEXT,
    type            TEXT,
    status          TEXT        NOT NULL,
    error           TEXT,
    record          TEXT        NOT NULL,
    origin          TEXT        NOT NULL,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    enqueued_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_attempt_at TIMESTAMPTZ
);

CREATE INDEX dead_letters_by_aggregate ON dead_letters (tenant_id, aggregate_id, sequence, position);
CREATE INDEX dead_letters_by_time ON dead_letters (tenant_id, enqueued_at, id);
-- A redelivered record that is already waiting is not stored twice.
CREATE UNIQUE INDEX dead_letters_event_once ON dead_letters (tenant_id, event_id) WHERE event_id IS NOT NULL;

GRANT SELECT ON projection_rebuilds, dead_letters TO tessera_query_api;
GRANT SELECT, INSERT, UPDATE, DELETE ON projection_rebuilds, dead_letters TO tessera_query_projector;

ALTER TABLE projection_rebuilds ENABLE ROW LEVEL SECURITY;
ALTER TABLE dead_letters ENABLE ROW LEVEL SECURITY;

CREATE POLICY platform_reads ON projection_rebuilds FOR SELECT TO tessera_query_api
    USING (current_setting('tessera.platform_admin', true) = 'on');
CREATE POLICY tenant_reads ON dead_letters FOR SELECT TO tessera_query_api
    USING (tenant_id = current_setting('tessera.tenant_id', true)
        OR current_setting('tessera.platform_admin', true) = 'on');

CREATE POLICY projector_writes ON projection_rebuilds FOR ALL TO tessera_query_projector USING (true) WITH CHECK (true);
CREATE POLICY projector_writes ON dead_letters FOR ALL TO tessera_query_projector USING (true) WITH CHECK (true);
