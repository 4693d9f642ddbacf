-- Each running instance's checkpoint (JourneyWorkflowImpl writes it as every step begins): enough
-- for a fresh workflow to take over when Temporal no longer runs the old one (the in-process
-- service restarted or was recycled, an operator terminated it). wake_at is when the step it
-- waits in ends by itself, so a resumed wait keeps its deadline.
ALTER TABLE journey_instance ADD COLUMN checkpoint jsonb;
ALTER TABLE journey_instance ADD COLUMN wake_at timestamptz;
ALTER TABLE journey_instance ADD COLUMN checkpointed_at timestamptz;
ALTER TABLE journey_instance ADD COLUMN resumes integer NOT NULL DEFAULT 0;

-- The outbox in two stages. claimed_at NULL: the event waits to be dispatched. Set: the dispatch is
-- committed (instances recorded, catalog counted) and its workflow starts and signals are under
-- way; the row goes once they are done. A crash in between leaves it here, and the next start
-- sends its signals again (workflows drop events they already heard).
ALTER TABLE dispatch_outbox ADD COLUMN claimed_at timestamptz;
CREATE INDEX dispatch_outbox_waiting ON dispatch_outbox (event_id) WHERE claimed_at IS NULL;
