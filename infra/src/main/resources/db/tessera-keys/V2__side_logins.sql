-- The key table belongs to the owner (tessera_owner, who runs this migration); each side's login seals and opens
-- keys through io.tessera.infra.pii and may do no more: read, add a version, shred. No DELETE: a shredded key's
-- row stays. Neither tessera_query_api nor tessera_query_projector gets anything here.
GRANT USAGE ON SCHEMA tessera_keys TO tessera_command, tessera_query;
GRANT SELECT, INSERT, UPDATE ON tenant_data_key TO tessera_command, tessera_query;
