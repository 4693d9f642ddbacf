-- Broadcasts: a one-off or scheduled send of one message to a segment's members. Each is carried by
-- a journey of its own (one message step, triggered by the @broadcast events the sender writes for
-- the members), so its messages go through the journeys' hand-off, caps, consent and send rate.
CREATE TABLE broadcast (
    id           text PRIMARY KEY,
    project_id   text NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    name         text NOT NULL,
    segment_id   text NOT NULL,
    journey_id   text NOT NULL REFERENCES journey (id) ON DELETE CASCADE,
    status       text NOT NULL CHECK (status IN ('scheduled', 'sending', 'sent', 'cancelled', 'failed')),
    send_at      timestamptz NOT NULL,
    audience     bigint NOT NULL,
    enqueued     bigint NOT NULL DEFAULT 0,
    after_user   text NOT NULL DEFAULT '',
    error        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    finished_at  timestamptz
);
CREATE INDEX broadcast_due ON broadcast (send_at) WHERE status IN ('scheduled', 'sending');
CREATE INDEX broadcast_of_project ON broadcast (project_id, created_at);
CREATE UNIQUE INDEX broadcast_journey ON broadcast (journey_id);
