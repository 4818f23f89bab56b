-- EXPAND (an example of docs/schema-evolution.md, applied by RollingSchemaUpgradeIT to a running system).
-- A new nullable column without a default: a catalog-only change, so the ACCESS EXCLUSIVE lock lasts
-- microseconds, but it is queued behind any running transaction on the table and every later query queues
-- behind it: a short lock_timeout makes the migration fail fast (and be retried) rather than stall reads.
SET LOCAL lock_timeout = '3s';

ALTER TABLE deployments ADD COLUMN project_key TEXT;

-- The old code keeps inserting and updating without knowing the column: the database fills it in, so
-- the backfill has an end and rows written during and after it are right too.
CREATE FUNCTION deployments_project_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.project_key := lower(NEW.project_name);
    RETURN NEW;
END
$$;

CREATE TRIGGER deployments_project_key
    BEFORE INSERT OR UPDATE OF project_name ON deployments
    FOR EACH ROW EXECUTE FUNCTION deployments_project_key();
