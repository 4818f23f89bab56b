-- A side's login sees the data keys of the tenant its transaction is for (tessera.tenant_id, set by DataKeys for
-- each of its statements), never another tenant's: an injection or a slip on either side cannot read or shred
-- another tenant's keys. Forced, so the owner sees none either (it has no policy: it migrates, it does not read).
ALTER TABLE tenant_data_key ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_data_key FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON tenant_data_key FOR ALL TO tessera_command, tessera_query
    USING (tenant_id = current_setting('tessera.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('tessera.tenant_id', true));
