-- An ApplicationSet being deleted in the background, its Applications in batches: when the
-- deletion was asked for, whether the Applications go with it, how many there were and how many
-- remain. NULL when the set is not being deleted. Kept here so a restart resumes the deletion.
ALTER TABLE application_sets ADD COLUMN deletion JSONB;
