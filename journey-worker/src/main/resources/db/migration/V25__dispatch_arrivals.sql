-- Issue 13: one outbox row per statement that stores events, not one per event. A 100-event
-- request wrote 100 outbox rows and their index entries (a quarter to two fifths of the insert),
-- and the dispatcher deleted them one by one. Now the statement writes one row with its events'
-- ids; the dispatcher deletes it as it claims them, in its transaction. dispatch_outbox keeps the
-- per-event rows that need them: events being launched (claimed_at set), retried after a failure,
-- or put back from the dead letters; the dispatcher writes those itself.
-- received_at is the storing transaction's now(), as for its events (the backlog's age); events
-- keeps the ids' count, so a claim sizes its batch without reading the arrays.
CREATE TABLE dispatch_arrival (
    id           bigserial PRIMARY KEY,
    event_ids    bigint[] NOT NULL,
    events       integer NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);

-- Every event not yet dispatched (or being launched), one row each, wherever it waits: what the
-- backlog counts and what tests look for.
CREATE VIEW dispatch_pending AS
    SELECT event_id, attempts, claimed_at FROM dispatch_outbox
    UNION ALL
    SELECT unnest(event_ids), 0, NULL::timestamptz FROM dispatch_arrival;
