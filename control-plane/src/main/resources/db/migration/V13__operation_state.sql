-- Argo CD's status.operationState as agents report it: the running sync operation, or the last one
-- that ended (phase, message, started/finished, the revision it syncs, per-resource results), and the
-- revision the last successful sync deployed, which differs from `revision` (what was last compared)
-- after a rollback or while an operation runs.
ALTER TABLE application_status ADD COLUMN deployed_revision TEXT NOT NULL DEFAULT '';
ALTER TABLE application_status ADD COLUMN operation_state JSONB;

-- Every sync operation's result, as its agent last reported it (newest first by started_at). One row
-- per operation id; a row still Running when a newer operation appears is closed as superseded.
-- Bounded per Application (see ApplicationOperationRepository.KEEP); goes with the Application.
CREATE TABLE application_operation_log (
    application     TEXT NOT NULL REFERENCES applications (name) ON DELETE CASCADE,
    -- Chosen by the agent.
    id              TEXT NOT NULL,
    phase           TEXT NOT NULL CHECK (phase IN ('Running', 'Terminating', 'Succeeded', 'Failed', 'Error')),
    message         TEXT NOT NULL DEFAULT '',
    revision        TEXT NOT NULL DEFAULT '',
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    retry_count     INT NOT NULL DEFAULT 0,
    -- 'automated' (sync policy, self-heal) or the caller who requested the sync or rollback.
    initiated_by    TEXT NOT NULL,
    resources       JSONB NOT NULL DEFAULT '[]'::jsonb,
    PRIMARY KEY (application, id)
);
CREATE INDEX application_operation_log_newest ON application_operation_log (application, started_at DESC);
