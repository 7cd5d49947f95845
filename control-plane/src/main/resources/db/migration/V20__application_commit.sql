-- The commit an Application's `revision` names, as its agent read it from the checkout it rendered
-- ({"sha", "author", "subject", "date"}; null from agents older than this and for charts), and
-- since when its status reports a failure (the "since" of its ComparisonError or SyncError
-- condition; null while it does not fail). Expand-only: nullable columns older replicas ignore.
ALTER TABLE application_status ADD COLUMN commit_info JSONB;
ALTER TABLE application_status ADD COLUMN failing_since TIMESTAMPTZ;
