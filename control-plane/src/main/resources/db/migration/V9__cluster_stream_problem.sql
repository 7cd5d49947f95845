-- What an agent last reported it could not take from its stream (issue 15 item 7: e.g. a message over
-- its inbound limit), so the cluster shows the problem instead of looking healthy. NULL: none.
ALTER TABLE clusters
    ADD COLUMN stream_problem    TEXT,
    ADD COLUMN stream_problem_at TIMESTAMPTZ;
