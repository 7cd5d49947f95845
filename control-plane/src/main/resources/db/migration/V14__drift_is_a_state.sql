-- Drift is a state: each drift_events row is now one occurrence of an object differing from Git (it opened
-- at detected_at and, once healed_at is set, closed). The agent reports an occurrence when it opens and
-- again when it closes, under the same (object, detected_at): the second report updates the row.

ALTER TABLE drift_events
    -- What made it equal again: self-heal, sync, resync, manual-revert, new-commit; NULL while open.
    ADD COLUMN healed_by TEXT,
    -- 'drift' (live changed away from what was applied) or 'pending-sync' (Git moved on, not synced yet).
    ADD COLUMN drift_kind TEXT NOT NULL DEFAULT 'drift';

-- Agents before this version reported only the reverts of their own self-heal.
UPDATE drift_events SET healed_by = 'self-heal' WHERE healed_at IS NOT NULL;

-- One row per occurrence: of reports stored twice keep the one that says most (healed, then newest).
DELETE FROM drift_events d USING drift_events e
WHERE d.application = e.application AND d.cluster = e.cluster AND d.api_group = e.api_group
  AND d.kind = e.kind AND d.namespace = e.namespace AND d.name = e.name AND d.detected_at = e.detected_at
  AND ((d.healed_at IS NULL AND e.healed_at IS NOT NULL)
       OR ((d.healed_at IS NULL) = (e.healed_at IS NULL) AND d.id < e.id));

DROP INDEX drift_events_identity;
CREATE UNIQUE INDEX drift_events_occurrence
    ON drift_events (application, cluster, api_group, kind, namespace, name, detected_at);

ALTER TABLE drift_objects
    ADD COLUMN healed_by TEXT,
    ADD COLUMN drift_kind TEXT NOT NULL DEFAULT 'drift';

-- The object's row is recomputed from its occurrences whenever one is stored or updated (a close is an
-- update), so counts stay exact whatever order reports arrive in. An object has few occurrences.
CREATE OR REPLACE FUNCTION drift_objects_absorb() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Two reports of one object stored at once must not each count without the other.
    PERFORM pg_advisory_xact_lock(hashtext('drift:' || NEW.application || '/' || NEW.cluster || '/'
                                           || NEW.api_group || '/' || NEW.kind || '/' || NEW.namespace
                                           || '/' || NEW.name));
    INSERT INTO drift_objects AS o (cluster, application, project, api_group, kind, namespace, name, fields,
                                    change, first_seen, last_seen, occurrences, heals, healed_at,
                                    last_healed_at, last_event_id, healed_by, drift_kind)
    SELECT NEW.cluster, NEW.application,
           (SELECT a.project FROM applications a WHERE a.name = NEW.application),
           NEW.api_group, NEW.kind, NEW.namespace, NEW.name, n.fields, n.change,
           s.first_seen, n.detected_at, s.occurrences, s.heals, n.healed_at, s.last_healed_at, n.id,
           n.healed_by, n.drift_kind
    FROM (SELECT min(e.detected_at) AS first_seen, count(*) AS occurrences, count(e.healed_at) AS heals,
                 max(e.healed_at) AS last_healed_at
          FROM drift_events e
          WHERE e.application = NEW.application AND e.cluster = NEW.cluster AND e.api_group = NEW.api_group
            AND e.kind = NEW.kind AND e.namespace = NEW.namespace AND e.name = NEW.name) s,
         LATERAL (SELECT e.* FROM drift_events e
                  WHERE e.application = NEW.application AND e.cluster = NEW.cluster
                    AND e.api_group = NEW.api_group AND e.kind = NEW.kind AND e.namespace = NEW.namespace
                    AND e.name = NEW.name
                  ORDER BY e.detected_at DESC, e.id DESC LIMIT 1) n
    ON CONFLICT (application, cluster, api_group, kind, namespace, name) DO UPDATE SET
        project = EXCLUDED.project,
        fields = EXCLUDED.fields,
        change = EXCLUDED.change,
        first_seen = EXCLUDED.first_seen,
        last_seen = EXCLUDED.last_seen,
        occurrences = EXCLUDED.occurrences,
        heals = EXCLUDED.heals,
        healed_at = EXCLUDED.healed_at,
        last_healed_at = EXCLUDED.last_healed_at,
        last_event_id = EXCLUDED.last_event_id,
        healed_by = EXCLUDED.healed_by,
        drift_kind = EXCLUDED.drift_kind;
    RETURN NULL;
END
$$;

DROP TRIGGER drift_events_absorb ON drift_events;
CREATE TRIGGER drift_events_absorb AFTER INSERT OR UPDATE ON drift_events
    FOR EACH ROW EXECUTE FUNCTION drift_objects_absorb();

-- Rebuilt from the events as they stand now (duplicates removed above were counted before).
DELETE FROM drift_objects;
INSERT INTO drift_objects (cluster, application, project, api_group, kind, namespace, name, fields, change,
                           first_seen, last_seen, occurrences, heals, healed_at, last_healed_at, last_event_id,
                           healed_by, drift_kind)
SELECT DISTINCT ON (e.application, e.cluster, e.api_group, e.kind, e.namespace, e.name)
       e.cluster, e.application, a.project, e.api_group, e.kind, e.namespace, e.name, e.fields, e.change,
       min(e.detected_at) OVER w, e.detected_at, count(*) OVER w, count(e.healed_at) OVER w,
       e.healed_at, max(e.healed_at) OVER w, e.id, e.healed_by, e.drift_kind
FROM drift_events e JOIN applications a ON a.name = e.application
WINDOW w AS (PARTITION BY e.application, e.cluster, e.api_group, e.kind, e.namespace, e.name)
ORDER BY e.application, e.cluster, e.api_group, e.kind, e.namespace, e.name, e.detected_at DESC, e.id DESC;
