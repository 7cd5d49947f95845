-- Deployment history per Application (Argo CD's `app history` / `app rollback`): one row each time an agent
-- reports the Application synced to a revision other than the one its newest row names. Trimmed to
-- spec.revisionHistoryLimit rows (default 10) per Application; goes with the Application.
CREATE TABLE application_history (
    id              BIGSERIAL PRIMARY KEY,
    application     TEXT NOT NULL REFERENCES applications (name) ON DELETE CASCADE,
    revision        TEXT NOT NULL,
    -- Generation of the assignment the agent applied.
    generation      BIGINT NOT NULL,
    deployed_at     TIMESTAMPTZ NOT NULL,
    -- How it was started: automated (the sync policy, or the cluster already matching), sync, rollback.
    operation       TEXT NOT NULL CHECK (operation IN ('automated', 'sync', 'rollback')),
    -- The caller's name for sync and rollback; the control plane's own name for automated.
    initiated_by    TEXT NOT NULL,
    repo_url        TEXT NOT NULL DEFAULT '',
    path            TEXT NOT NULL DEFAULT '',
    -- For a rollback: the id of the entry it went back to (may since have been trimmed).
    rollback_of     BIGINT
);
CREATE INDEX application_history_newest ON application_history (application, id DESC);

-- A sync or rollback asked for but not yet reported by the agent: who asked, and for which revision, so
-- that the history row written when the agent reports can say so. One per Application (a newer
-- request replaces an older one); stale requests are ignored after a while (see ApplicationHistoryRepository).
CREATE TABLE application_operations (
    application     TEXT PRIMARY KEY REFERENCES applications (name) ON DELETE CASCADE,
    operation       TEXT NOT NULL CHECK (operation IN ('sync', 'rollback')),
    -- '' means the assigned revision, whatever it is when the agent applies.
    revision        TEXT NOT NULL DEFAULT '',
    initiated_by    TEXT NOT NULL,
    rollback_of     BIGINT,
    requested_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
