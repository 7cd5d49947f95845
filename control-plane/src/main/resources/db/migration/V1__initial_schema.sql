-- Flotilla schema, version 1: clusters, ApplicationSets, Applications and what agents report about them.

-- Every change to an assignment takes the next value, so agents can order and deduplicate deliveries.
CREATE SEQUENCE assignment_generation;

CREATE TABLE clusters (
    name            TEXT PRIMARY KEY,
    server          TEXT NOT NULL,
    labels          JSONB NOT NULL DEFAULT '{}'::jsonb,
    annotations     JSONB NOT NULL DEFAULT '{}'::jsonb,
    -- SHA-256 of the join token; the token itself is shown once and never stored.
    token_hash      TEXT NOT NULL,
    token_revoked   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at    TIMESTAMPTZ,
    agent_version   TEXT,
    connected       BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE application_sets (
    name            TEXT PRIMARY KEY,
    document        JSONB NOT NULL,
    -- Conditions and errors of the last generation, as JSON (see ApplicationSetStatus).
    status          JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE applications (
    name            TEXT PRIMARY KEY,
    application_set TEXT REFERENCES application_sets (name) ON DELETE SET NULL,
    project         TEXT NOT NULL,
    -- Registered cluster the destination resolved to; NULL when it names no known cluster.
    cluster         TEXT,
    document        JSONB NOT NULL,
    -- Commit SHA that spec.source.targetRevision resolved to; '' when unresolved.
    revision        TEXT NOT NULL DEFAULT '',
    generation      BIGINT NOT NULL,
    -- Why the Application cannot be dispatched (unknown cluster, project violation), or NULL.
    dispatch_error  TEXT,
    delete_resources_on_removal BOOLEAN NOT NULL DEFAULT TRUE,
    acked_generation BIGINT NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX applications_cluster ON applications (cluster);
CREATE INDEX applications_application_set ON applications (application_set);

CREATE TABLE application_status (
    application     TEXT PRIMARY KEY REFERENCES applications (name) ON DELETE CASCADE,
    generation      BIGINT NOT NULL,
    sync_status     TEXT NOT NULL,
    health          TEXT NOT NULL,
    health_message  TEXT NOT NULL DEFAULT '',
    revision        TEXT NOT NULL DEFAULT '',
    message         TEXT NOT NULL DEFAULT '',
    sync_failed     BOOLEAN NOT NULL DEFAULT FALSE,
    resources       JSONB NOT NULL DEFAULT '[]'::jsonb,
    last_synced_at  TIMESTAMPTZ,
    observed_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
