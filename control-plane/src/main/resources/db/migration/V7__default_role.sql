-- The default role (Argo CD's policy.default) lives with the policy it belongs to, so it is
-- changed the same way and by the same people as the policy lines.
ALTER TABLE rbac_policy ADD COLUMN default_role TEXT NOT NULL DEFAULT '';
