-- Web UI sessions: a browser trades an API token for a session cookie. Only hashes are stored: the
-- session id's (the cookie) and the token's, so that a revoked or expired token ends its sessions at
-- once and a database dump lets nobody in. Shared by every replica.
CREATE TABLE ui_sessions (
    id_hash     TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL,
    csrf        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX ui_sessions_expires_at ON ui_sessions (expires_at);
