-- Several control-plane replicas on one database (expand-only: replicas of the previous version ignore
-- all of this and keep working side by side during a rolling upgrade).

-- Live replicas: each writes its row at start and refreshes seen_at; a row not refreshed for a few
-- seconds is a dead replica (killed, partitioned), whose leases and agent connections others take over.
CREATE TABLE replicas (
    id          TEXT PRIMARY KEY,
    host        TEXT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    seen_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Work that must run on one replica at a time. expires_at is database time (no clock skew between
-- replicas); token grows at every change of holder (a fencing token for writes and for logs).
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    token       BIGINT NOT NULL DEFAULT 1,
    acquired_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL
);

-- What one replica tells the others (resync these clusters, sync this Application, these Applications
-- changed, ...). seq is handed out under a row lock, so rows commit in seq order and a reader that saw
-- seq N never later finds a smaller one: each replica reads "seq > last seen" on every NOTIFY and on a
-- timer, so a missed notification (or a reconnect of the listener) costs latency, never correctness.
CREATE TABLE replica_events (
    seq         BIGINT PRIMARY KEY,
    origin      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    clusters    TEXT[] NOT NULL DEFAULT '{}',
    names       TEXT[] NOT NULL DEFAULT '{}',
    detail      TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX replica_events_created ON replica_events (created_at);

CREATE TABLE replica_event_seq (
    one  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    last BIGINT NOT NULL
);
INSERT INTO replica_event_seq (last) VALUES (0);

-- Which replica holds an agent's stream: only that replica may record its disconnection, and a
-- replica starting up leaves alone the clusters connected to other live replicas.
ALTER TABLE clusters ADD COLUMN connected_replica TEXT;
