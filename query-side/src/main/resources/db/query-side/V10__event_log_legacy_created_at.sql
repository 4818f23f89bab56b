-- The old system's created_at of an imported resource's creation (CloudEvent extension legacycreatedat), kept
-- with the logged event so that a rebuild from event_log gives the read tables the same created_at as the
-- live projection did. Not part of the audit chain's canonical form (the chain predates it); NULL for every
-- event that was not imported.
ALTER TABLE event_log ADD COLUMN legacy_created_at TIMESTAMPTZ;
