-- The event log: every event of every tenant once, as published, kept by EventLogProjection in the
-- transaction of the other projections. It answers replay (GET /api/events), audit (GET /api/audit)
-- and history (GET /api/deployments/{id}/history). A redelivered event meets one of the unique keys
-- and is dropped (ON CONFLICT DO NOTHING): its position, its CloudEvent id, or its place in its
-- aggregate's stream, as unique in the command side's event store.

CREATE TABLE event_log (
    tenant_id  TEXT        NOT NULL,
    position   BIGINT      NOT NULL,
    event_id   TEXT        NOT NULL,
    type       TEXT        NOT NULL,
    subject    TEXT        NOT NULL,
    sequence   BIGINT      NOT NULL,
    time       TIMESTAMPTZ NOT NULL,
    actor      TEXT,
    command_id TEXT,
    data       JSONB       NOT NULL,
    PRIMARY KEY (tenant_id, position),
    CONSTRAINT event_log_event_id UNIQUE (tenant_id, event_id),
    CONSTRAINT event_log_stream UNIQUE (tenant_id, subject, sequence)
);

CREATE INDEX event_log_by_actor ON event_log (tenant_id, actor, position DESC);

-- Who did what, when, with what outcome: one entry per event of an accepted command, except the quota
-- bookkeeping of a creation (the creation itself is that command's entry). `position` orders entries,
-- newest first. Rejected commands are not in the event stream yet; their source (e.g. a table fed from
-- tessera.command-results) joins here with UNION ALL, the same columns and outcome 'rejected', and the
-- endpoint reads this view unchanged.
CREATE VIEW audit_entries AS
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
WHERE type <> 'tessera.tenant.creation-quota-consumed.v1';
