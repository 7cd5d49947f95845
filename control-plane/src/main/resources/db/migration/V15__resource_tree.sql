-- The resource tree an agent reports with each Application status (its objects and their children
-- found through ownerReferences, each with health), kept apart from application_status so that the
-- list and get queries never read it. Bounded by the agent (ResourceProxyLimits.MAX_TREE_NODES).
CREATE TABLE application_resource_tree (
    application TEXT PRIMARY KEY REFERENCES applications (name) ON DELETE CASCADE,
    generation  BIGINT NOT NULL,
    observed_at TIMESTAMPTZ NOT NULL,
    nodes       JSONB NOT NULL,
    -- Children the agent left out to stay within its cap.
    omitted     INTEGER NOT NULL DEFAULT 0
);
