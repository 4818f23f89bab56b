-- Offboarding leaves nothing of the tenant behind but its tombstone and the offboarding event: the projector may
-- now also delete the tenant's applied position (dead letters it could delete already, V9).
GRANT DELETE ON projection_positions TO tessera_query_projector;

-- Administrative acts done on the query side, which are no aggregate's event (a projection rebuild, a dead-letter
-- retry): one row per tenant the act touches, with its actor, shown in that tenant's audit log next to its
-- events. `position` is the tenant's applied position when the act was done, so the act sorts after the events it
-- followed; `id` orders acts of the same position. Written by the projector role, read through audit_entries.
-- Numbered 20.19 so that another change's migrations do not collide with it.
CREATE TABLE administrative_acts (
    id            BIGSERIAL   PRIMARY KEY,
    tenant_id     TEXT        NOT NULL,
    position      BIGINT      NOT NULL,
    time          TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor         TEXT        NOT NULL,
    action        TEXT        NOT NULL,
    resource_type TEXT        NOT NULL,
    resource_id   TEXT
);

CREATE INDEX administrative_acts_by_tenant ON administrative_acts (tenant_id, position DESC, id DESC);

GRANT SELECT ON administrative_acts TO tessera_query_api;
GRANT SELECT, INSERT, DELETE ON administrative_acts TO tessera_query_projector;
GRANT USAGE ON SEQUENCE administrative_acts_id_seq TO tessera_query_projector;

ALTER TABLE administrative_acts ENABLE ROW LEVEL SECURITY;
ALTER TABLE administrative_acts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_reads ON administrative_acts FOR SELECT TO tessera_query_api
    USING (tenant_id = current_setting('tessera.tenant_id', true));
CREATE POLICY projector_writes ON administrative_acts FOR ALL TO tessera_query_projector USING (true) WITH CHECK (true);

-- The audit view learns of them: entry_order is 0 for an event and the act's id for an act, so that entries are
-- ordered (and paged) by (position, entry_order). An act has no command id and is not in the events' hash chain.
DROP VIEW audit_entries;

CREATE VIEW audit_entries WITH (security_barrier = true) AS
SELECT tenant_id,
       position,
       0::BIGINT                                                                         AS entry_order,
       time,
       actor,
       CASE WHEN type = 'tessera.command.rejected.v1' THEN data ->> 'command_type'
            ELSE regexp_replace(type, '^tessera\.(.+)\.v[0-9]+$', '\1') END               AS action,
       CASE WHEN type = 'tessera.command.rejected.v1' THEN data ->> 'resource_type'
            ELSE split_part(regexp_replace(type, '^tessera\.(.+)\.v[0-9]+$', '\1'), '.', 1) END AS resource_type,
       CASE WHEN type = 'tessera.command.rejected.v1' THEN data ->> 'resource_id'
            ELSE subject END                                                             AS resource_id,
       command_id,
       CASE WHEN type = 'tessera.command.rejected.v1' THEN 'rejected' ELSE 'accepted' END AS outcome,
       CASE WHEN type = 'tessera.command.rejected.v1' THEN data ->> 'code' END           AS error_code,
       CASE WHEN type = 'tessera.command.rejected.v1' THEN data ->> 'reason' END         AS reason,
       previous_hash,
       hash
FROM event_log
WHERE type <> 'tessera.tenant.creation-quota-consumed.v1'
  AND tenant_id = current_setting('tessera.tenant_id', true)
UNION ALL
SELECT tenant_id,
       position,
       id,
       time,
       actor,
       action,
       resource_type,
       resource_id,
       NULL,
       'accepted',
       NULL,
       NULL,
       NULL,
       NULL
FROM administrative_acts
WHERE tenant_id = current_setting('tessera.tenant_id', true);

GRANT SELECT ON audit_entries TO tessera_query_api;

DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 150000 THEN
        EXECUTE 'ALTER VIEW audit_entries SET (security_invoker = true)';
    END IF;
END
$$;
