-- AppProjects in Argo CD's shape; the document is kept whole so later versions can enforce more of it.
CREATE TABLE app_projects (
    name        TEXT PRIMARY KEY,
    document    JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
