-- App of Apps: Applications, ApplicationSets and AppProjects found in a parent Application's rendered
-- manifests are owned by that parent. An owned object is changed only through its parent (Git), and
-- pruned only when the parent prunes. NULL: not owned by any parent. No foreign key on purpose: a
-- parent that is deleted leaves its children in place (as Argo CD without cascade), now unowned.
ALTER TABLE applications ADD COLUMN parent_application TEXT;
ALTER TABLE application_sets ADD COLUMN parent_application TEXT;
ALTER TABLE app_projects ADD COLUMN parent_application TEXT;
CREATE INDEX applications_parent ON applications (parent_application) WHERE parent_application IS NOT NULL;
CREATE INDEX application_sets_parent ON application_sets (parent_application) WHERE parent_application IS NOT NULL;
CREATE INDEX app_projects_parent ON app_projects (parent_application) WHERE parent_application IS NOT NULL;

-- What the control plane last read from each parent: the key it rendered (repository, commit, path,
-- source parameters), the children it declared and the conditions of that evaluation (refused
-- children, render errors, deletions held back). One row per Application that ever had children or
-- an App of Apps condition.
CREATE TABLE app_of_apps_status (
    application     TEXT PRIMARY KEY REFERENCES applications (name) ON DELETE CASCADE,
    render_key      TEXT NOT NULL DEFAULT '',
    children        JSONB NOT NULL DEFAULT '[]'::jsonb,
    conditions      JSONB NOT NULL DEFAULT '[]'::jsonb,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
