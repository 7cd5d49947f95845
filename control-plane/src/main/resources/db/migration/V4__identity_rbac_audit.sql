-- Users, teams, API tokens, the global RBAC policy and the audit log.

-- Users and teams share one namespace because policy lines name both the same way
-- ("g, <user-or-team>, <role>"): a team called like a user would silently share its grants.
CREATE TABLE principal_names (
    name        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('user', 'team'))
);

CREATE TABLE users (
    name         TEXT PRIMARY KEY REFERENCES principal_names (name) ON DELETE CASCADE,
    display_name TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE teams (
    name        TEXT PRIMARY KEY REFERENCES principal_names (name) ON DELETE CASCADE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE team_members (
    team        TEXT NOT NULL REFERENCES teams (name) ON DELETE CASCADE,
    user_name   TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    added_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (team, user_name)
);
CREATE INDEX team_members_user ON team_members (user_name);

-- Bearer tokens for users and for project roles. Only the SHA-256 of a token is kept; the token
-- itself is shown once at creation.
CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('user', 'project_role')),
    user_name    TEXT REFERENCES users (name) ON DELETE CASCADE,
    -- A project's tokens go when the project goes.
    project      TEXT REFERENCES app_projects (name) ON DELETE CASCADE,
    role         TEXT,
    description  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ,
    revoked      BOOLEAN NOT NULL DEFAULT FALSE,
    last_used_at TIMESTAMPTZ,
    CHECK ((subject_kind = 'user' AND user_name IS NOT NULL AND project IS NULL AND role IS NULL)
        OR (subject_kind = 'project_role' AND user_name IS NULL AND project IS NOT NULL
            AND role IS NOT NULL))
);
CREATE INDEX api_tokens_user ON api_tokens (user_name);
CREATE INDEX api_tokens_project ON api_tokens (project, role);

-- The global policy in Argo CD's CSV format: one row, replaced whole.
CREATE TABLE rbac_policy (
    id          SMALLINT PRIMARY KEY CHECK (id = 1),
    policy      TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by  TEXT NOT NULL DEFAULT ''
);
INSERT INTO rbac_policy (id, policy, updated_by) VALUES (1, '', 'migration');

-- Every change and every sync/rollback, allowed or not.
CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_name TEXT NOT NULL,
    result      TEXT NOT NULL CHECK (result IN ('allow', 'deny', 'error')),
    details     JSONB NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor ON audit_log (actor, at DESC);
CREATE INDEX audit_log_object ON audit_log (object_kind, object_name, at DESC);
