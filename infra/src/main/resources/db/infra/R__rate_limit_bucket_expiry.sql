-- When a bucket may be forgotten (epoch milliseconds, written by Bucket4j with every change): once it would
-- have refilled to full anyway, plus a margin. ExpiredBucketSweeper deletes such rows, so buckets of client
-- addresses and departed tenants do not pile up. Repeatable (idempotent) rather than versioned: the table
-- lives in each side's schema next to that side's own, higher, version numbers.
ALTER TABLE rate_limit_bucket ADD COLUMN IF NOT EXISTS expires_at BIGINT;
CREATE INDEX IF NOT EXISTS rate_limit_bucket_expires_at ON rate_limit_bucket (expires_at);

-- The side's own login keeps its buckets (README "Database roles"); granted here, with the table, which exists only
-- where rate limiting is on. Each side migrates its own schema.
DO $$
BEGIN
    IF current_schema() = 'command_side' THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_bucket TO tessera_command;
    ELSIF current_schema() = 'query_side' THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_bucket TO tessera_query;
    END IF;
END
$$;
