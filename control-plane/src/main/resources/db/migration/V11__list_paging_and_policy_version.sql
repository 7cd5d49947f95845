-- Issue 9, defect 6: Application lists are paged in SQL, by name in code-point order (COLLATE "C",
-- the order page tokens are compared in), optionally narrowed to a project, cluster or ApplicationSet.
-- Each index serves the ordered keyset scan of one of those; the composite ones also serve the plain
-- equality lookups the single-column indexes of V1 served, so those go.
CREATE INDEX applications_name_c ON applications (name COLLATE "C");
CREATE INDEX applications_project_name ON applications (project, name COLLATE "C");
CREATE INDEX applications_cluster_name ON applications (cluster, name COLLATE "C");
CREATE INDEX applications_application_set_name ON applications (application_set, name COLLATE "C");
DROP INDEX applications_cluster;
DROP INDEX applications_application_set;

-- Parsed AppProject policies are cached by every control-plane replica until this number moves.
-- It moves with every committed change of what the policies are built from: any AppProject, and a
-- cluster's name or server (destinations match either). A single row updated in the writer's own
-- transaction: unlike a timestamp or a sequence value, a reader can never see a later change
-- committed while an earlier one is still invisible, so no change is missed.
CREATE TABLE project_policy_version (
    id       BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    version  BIGINT NOT NULL
);
INSERT INTO project_policy_version (id, version) VALUES (TRUE, 1);

CREATE FUNCTION bump_project_policy_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE project_policy_version SET version = version + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER app_projects_bump_policy_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON app_projects
    FOR EACH STATEMENT EXECUTE FUNCTION bump_project_policy_version();
CREATE TRIGGER clusters_bump_policy_version
    AFTER INSERT OR DELETE OR UPDATE OF name, server ON clusters
    FOR EACH STATEMENT EXECUTE FUNCTION bump_project_policy_version();
