-- Each instance's path, for "why": one row per step it reached, written by its workflow as the
-- step begins (left_at NULL while it is there) and completed as it leaves it, with what decided
-- the way on (the case a branch took and the values that decided it, the arm of a split, what
-- ended a wait, the message sent). seq counts the steps passed before, so a step repeated after a
-- restart or a continue-as-new writes the same row again. The workflow keeps the latest 200.
CREATE TABLE instance_step (
    workflow_id text NOT NULL REFERENCES journey_instance (workflow_id) ON DELETE CASCADE,
    seq         integer NOT NULL,
    step_id     text NOT NULL,
    step_type   text NOT NULL,
    reached_at  timestamptz NOT NULL,
    left_at     timestamptz,
    outcome     jsonb,
    PRIMARY KEY (workflow_id, seq)
);

-- The event that ended an instance (its goal or exitOn event), when one did.
ALTER TABLE journey_instance ADD COLUMN end_event_id bigint;

-- Why a subject did not enter a journey the last time an event of its trigger type came (the
-- condition that was false, re-entry, pause, a loop): one row per journey and subject, replaced
-- each time. An entry writes nothing here; the later of the two is the answer.
CREATE TABLE journey_non_entry (
    journey_id   text NOT NULL REFERENCES journey (id) ON DELETE CASCADE,
    subject_type text NOT NULL,
    subject_id   text NOT NULL,
    event_id     bigint NOT NULL,
    reason       text NOT NULL,
    detail       jsonb,
    at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (journey_id, subject_type, subject_id)
);
