-- The resource proxy across replicas: a request for an agent connected to another replica goes there
-- as a replica event; that replica writes each part of the agent's answer here and NOTIFYs
-- flotilla_resource_parts with the request id, and the asking replica reads the parts in order and
-- deletes them. Rows of an asker that died are removed after a few minutes by any replica.
-- (Expand-only: replicas of the previous version never read or write it.)
CREATE UNLOGGED TABLE resource_relay (
    id          TEXT NOT NULL,
    part        INTEGER NOT NULL,
    payload     BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (id, part)
);
CREATE INDEX resource_relay_created ON resource_relay (created_at);
