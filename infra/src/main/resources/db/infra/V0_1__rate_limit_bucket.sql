-- Token buckets of the per-tenant rate limit (Bucket4j's PostgreSQL layout), one row per side and tenant.
CREATE TABLE IF NOT EXISTS rate_limit_bucket (
    id    TEXT PRIMARY KEY,
    state BYTEA
);
