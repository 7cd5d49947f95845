-- Drift reported by agents: one row per detected change of a managed object.
CREATE TABLE drift_events (
    id              BIGSERIAL PRIMARY KEY,
    cluster         TEXT NOT NULL,
    application     TEXT NOT NULL REFERENCES applications (name) ON DELETE CASCADE,
    api_group       TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    namespace       TEXT NOT NULL DEFAULT '',
    name            TEXT NOT NULL,
    -- [{path, desired, live}], Secret values already masked by the agent.
    fields          JSONB NOT NULL DEFAULT '[]'::jsonb,
    change          TEXT NOT NULL,
    detected_at     TIMESTAMPTZ NOT NULL,
    healed_at       TIMESTAMPTZ,
    received_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX drift_events_application ON drift_events (application, detected_at DESC);
CREATE INDEX drift_events_object ON drift_events (cluster, kind, namespace, name);
