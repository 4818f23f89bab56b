-- An idempotency key belongs to its caller and to the request it was first used with (IETF Idempotency-Key
-- draft): `caller` is the token's subject (platform administrators apart, long subjects by digest), and
-- `request_digest` the SHA-256 of the method, route and body (HTTP) or of the type and payload (Kafka). The same
-- key with another digest is refused with IDEMPOTENCY_KEY_REUSED; keys of different callers never meet.
--
-- Rows remembered before this migration have neither: caller '' and no digest. They keep answering as they
-- did (any request of the tenant with that key gets their answer), so that a command redelivered across the
-- upgrade is still not run twice.
ALTER TABLE command_log ADD COLUMN caller VARCHAR(300) NOT NULL DEFAULT '';
ALTER TABLE command_log ADD COLUMN request_digest CHAR(64);
ALTER TABLE command_log DROP CONSTRAINT command_log_pkey;
ALTER TABLE command_log ADD PRIMARY KEY (tenant_id, caller, key);
ALTER TABLE command_log ALTER COLUMN caller DROP DEFAULT;
