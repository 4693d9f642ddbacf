-- Per-journey limits (issue 17): entries per period and messages per minute.
-- Entries: one counter per journey and fixed window (aligned to the epoch by the period); a
-- conditional upsert takes a place only while the window has one left.
CREATE TABLE journey_entry_window (
    journey_id   text NOT NULL REFERENCES journey (id) ON DELETE CASCADE,
    window_start timestamptz NOT NULL,
    entries      integer NOT NULL,
    PRIMARY KEY (journey_id, window_start)
);

-- Sends: a virtual clock per journey (the time the next message may go); each message reserves
-- the next slot once (message.rate_slot) and is held until it comes — delayed, never dropped.
CREATE TABLE journey_send_rate (
    journey_id text PRIMARY KEY REFERENCES journey (id) ON DELETE CASCADE,
    next_slot  timestamptz NOT NULL
);
ALTER TABLE message ADD COLUMN rate_slot timestamptz;
