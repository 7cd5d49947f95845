-- What each agent says about itself in its heartbeats (OK, Degraded, Wedged), or Unknown when it never said
-- or fell silent; the message says why (e.g. "agent for cluster east silent since ...").
ALTER TABLE clusters
    ADD COLUMN agent_health TEXT NOT NULL DEFAULT 'Unknown',
    ADD COLUMN agent_health_message TEXT NOT NULL DEFAULT '';
