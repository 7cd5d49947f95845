-- Fleet-wide drift report: one row per drifted object, kept current as events arrive, so the report reads
-- ~1 row per object instead of aggregating the whole event history on every request. drift_events stays the
-- history; this table is derived from it and can be rebuilt from it (see the backfill below).
CREATE TABLE drift_objects (
    id              BIGSERIAL PRIMARY KEY,
    cluster         TEXT NOT NULL,
    application     TEXT NOT NULL REFERENCES applications (name) ON DELETE CASCADE,
    -- Copied from the Application (and kept equal by a trigger) so that the report and RBAC scoping
    -- filter one table: joining 10,000 Applications cost more than the whole rest of the query.
    project         TEXT NOT NULL,
    api_group       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    namespace       TEXT NOT NULL,
    name            TEXT NOT NULL,
    -- Fields and change of the newest event (by detected_at, then id).
    fields          JSONB NOT NULL,
    change          TEXT NOT NULL,
    first_seen      TIMESTAMPTZ NOT NULL,
    last_seen       TIMESTAMPTZ NOT NULL,
    -- Number of events for this object: how often the drift recurred.
    occurrences     BIGINT NOT NULL,
    -- Number of those events that self-heal reverted.
    heals           BIGINT NOT NULL,
    -- When self-heal reverted the newest event; NULL means the newest drift is still live.
    healed_at       TIMESTAMPTZ,
    last_healed_at  TIMESTAMPTZ,
    last_event_id   BIGINT NOT NULL,
    UNIQUE (application, cluster, api_group, kind, namespace, name)
);
CREATE INDEX drift_objects_last_seen ON drift_objects (last_seen DESC, id DESC);
CREATE INDEX drift_objects_cluster ON drift_objects (cluster);
CREATE INDEX drift_objects_project ON drift_objects (project);

-- Maintained by a trigger rather than by the Java insert so that every writer (agents, imports, benchmarks)
-- keeps the aggregate right, in the same transaction as the event.
CREATE FUNCTION drift_objects_absorb() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO drift_objects AS o (cluster, application, project, api_group, kind, namespace, name, fields,
                                    change, first_seen, last_seen, occurrences, heals, healed_at,
                                    last_healed_at, last_event_id)
    VALUES (NEW.cluster, NEW.application,
            (SELECT a.project FROM applications a WHERE a.name = NEW.application),
            NEW.api_group, NEW.kind, NEW.namespace, NEW.name, NEW.fields, NEW.change,
            NEW.detected_at, NEW.detected_at, 1, CASE WHEN NEW.healed_at IS NULL THEN 0 ELSE 1 END,
            NEW.healed_at, NEW.healed_at, NEW.id)
    ON CONFLICT (application, cluster, api_group, kind, namespace, name) DO UPDATE SET
        project = EXCLUDED.project,
        first_seen = LEAST(o.first_seen, EXCLUDED.first_seen),
        last_seen = GREATEST(o.last_seen, EXCLUDED.last_seen),
        occurrences = o.occurrences + 1,
        heals = o.heals + EXCLUDED.heals,
        last_healed_at = GREATEST(o.last_healed_at, EXCLUDED.last_healed_at),
        -- Delivery may reorder events: only a newer event replaces what the row says is current.
        fields = CASE WHEN (EXCLUDED.last_seen, EXCLUDED.last_event_id) >= (o.last_seen, o.last_event_id)
                      THEN EXCLUDED.fields ELSE o.fields END,
        change = CASE WHEN (EXCLUDED.last_seen, EXCLUDED.last_event_id) >= (o.last_seen, o.last_event_id)
                      THEN EXCLUDED.change ELSE o.change END,
        healed_at = CASE WHEN (EXCLUDED.last_seen, EXCLUDED.last_event_id) >= (o.last_seen, o.last_event_id)
                         THEN EXCLUDED.healed_at ELSE o.healed_at END,
        last_event_id = CASE WHEN (EXCLUDED.last_seen, EXCLUDED.last_event_id) >= (o.last_seen, o.last_event_id)
                             THEN EXCLUDED.last_event_id ELSE o.last_event_id END;
    RETURN NULL;
END
$$;

CREATE TRIGGER drift_events_absorb AFTER INSERT ON drift_events
    FOR EACH ROW EXECUTE FUNCTION drift_objects_absorb();

-- An Application moved to another project takes its drift along (and out of the old project's view).
CREATE FUNCTION drift_objects_follow_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE drift_objects SET project = NEW.project WHERE application = NEW.name;
    RETURN NULL;
END
$$;

CREATE TRIGGER applications_drift_project AFTER UPDATE OF project ON applications
    FOR EACH ROW WHEN (OLD.project IS DISTINCT FROM NEW.project)
    EXECUTE FUNCTION drift_objects_follow_project();

-- Events stored before this version.
INSERT INTO drift_objects (cluster, application, project, api_group, kind, namespace, name, fields, change,
                           first_seen, last_seen, occurrences, heals, healed_at, last_healed_at, last_event_id)
SELECT DISTINCT ON (e.application, e.cluster, e.api_group, e.kind, e.namespace, e.name)
       e.cluster, e.application, a.project, e.api_group, e.kind, e.namespace, e.name, e.fields, e.change,
       min(e.detected_at) OVER w, max(e.detected_at) OVER w, count(*) OVER w, count(e.healed_at) OVER w,
       e.healed_at, max(e.healed_at) OVER w, e.id
FROM drift_events e JOIN applications a ON a.name = e.application
WINDOW w AS (PARTITION BY e.application, e.cluster, e.api_group, e.kind, e.namespace, e.name)
ORDER BY e.application, e.cluster, e.api_group, e.kind, e.namespace, e.name, e.detected_at DESC, e.id DESC;

-- Lets the agent's at-least-once redelivery be recognised as the same event.
CREATE INDEX drift_events_identity ON drift_events (application, cluster, kind, name, detected_at);
