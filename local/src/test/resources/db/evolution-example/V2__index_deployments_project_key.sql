-- Still EXPAND: the index the new code will query by, built without blocking writes. CONCURRENTLY cannot
-- run in a transaction, so it is a migration of its own (Flyway runs it outside one).
CREATE INDEX CONCURRENTLY IF NOT EXISTS deployments_by_project_key
    ON deployments (tenant_id, project_key) WHERE deleted_at IS NULL;
