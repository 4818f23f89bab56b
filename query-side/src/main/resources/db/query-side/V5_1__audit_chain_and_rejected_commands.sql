-- The audit trail becomes tamper-evident and learns of rejected commands.
--
-- Hash chain: every event_log row of a tenant carries the SHA-256 of the tenant's previous row
-- (previous_hash; 64 zeros for the first) and its own hash over a canonical form of the row and that
-- previous hash (io.tessera.query.eventlog.AuditChain documents the form). EventLogProjection computes
-- both, in position order, under a per-tenant advisory lock, in the transaction that inserts the row;
-- GET /api/audit/verify re-walks the chain. Rows that exist before this migration are chained when the
-- tenant's next event arrives. The projector already may UPDATE event_log (V3); the API role reads only.
--
-- Rejected commands are events of type tessera.command.rejected.v1 (stored and published by the command
-- side like every event): the audit view shows them with outcome 'rejected', the command type as action,
-- the refused resource and the error code and reason.
--
-- Numbered 5.1 so that another change's V5 does not collide with it.

ALTER TABLE event_log
    ADD COLUMN previous_hash TEXT,
    ADD COLUMN hash          TEXT;

DROP VIEW audit_entries;

CREATE VIEW audit_entries WITH (security_barrier = true) AS
SELECT tenant_id,
       position,
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
  AND tenant_id = current_setting('tessera.tenant_id', true);

GRANT SELECT ON audit_entries TO tessera_query_api;

DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 150000 THEN
        EXECUTE 'ALTER VIEW audit_entries SET (security_invoker = true)';
    END IF;
END
$$;
