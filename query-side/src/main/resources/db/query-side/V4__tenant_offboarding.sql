-- Offboarding a tenant (tessera.tenant.offboarded.v1) removes its read rows for good: the projector may
-- now delete, in the tables where a tenant's data lives. Its policy (projector_writes, FOR ALL) already
-- covers DELETE; the API role still only reads. The tenants row stays, marked 'offboarded', as the
-- tombstone that makes redelivered events of the tenant no-ops, and the event_log keeps the offboarding
-- event itself as the audit record.
GRANT DELETE ON deployments, workflows, users, tenant_stats, event_log TO tessera_query_projector;
