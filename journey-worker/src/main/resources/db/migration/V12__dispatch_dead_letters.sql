-- Dispatch isolates failures per event: an event whose dispatch fails is tried again later
-- (attempts, not_before, last_error), while the rest of its batch goes on; after a bounded number
-- of attempts it is parked here with its reason, visible and retryable through the API.
ALTER TABLE dispatch_outbox ADD COLUMN attempts int NOT NULL DEFAULT 0;
ALTER TABLE dispatch_outbox ADD COLUMN not_before timestamptz;
ALTER TABLE dispatch_outbox ADD COLUMN last_error text;

CREATE TABLE dispatch_dead_letter (
    event_id    bigint PRIMARY KEY,
    project_id  text NOT NULL,
    attempts    int NOT NULL,
    error       text NOT NULL,
    parked_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dispatch_dead_letter_by_project ON dispatch_dead_letter (project_id, event_id DESC);
