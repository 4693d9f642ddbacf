-- Projects and their API keys. Keys are stored as SHA-256 hashes; "lookup" is a prefix of that
-- hash, so a key is found by an index and then compared in constant time.
CREATE TABLE project (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_key (
    lookup      text PRIMARY KEY,
    project_id  text NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    key_hash    bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_key_project ON api_key (project_id);

-- Every tracked event, as sent. occurred_at is the event's own time (or the time received).
CREATE TABLE event (
    id            bigserial PRIMARY KEY,
    project_id    text NOT NULL,
    event_id      text,
    subject_type  text NOT NULL,
    subject_id    text NOT NULL,
    type          text NOT NULL,
    data          jsonb NOT NULL DEFAULT '{}'::jsonb,
    occurred_at   timestamptz NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX event_idempotency ON event (project_id, event_id) WHERE event_id IS NOT NULL;
CREATE INDEX event_recent ON event (project_id, occurred_at DESC, id DESC);
CREATE INDEX event_by_subject ON event (project_id, subject_type, subject_id, occurred_at DESC, id DESC);
CREATE INDEX event_by_type ON event (project_id, type, occurred_at DESC, id DESC);

-- Transactional outbox: written in the same transaction as the event, deleted once the
-- dispatcher has turned the event into journey starts. What a crash leaves here is picked up again.
CREATE TABLE dispatch_outbox (
    event_id    bigint PRIMARY KEY
);

CREATE TABLE channel (
    id          text PRIMARY KEY,
    project_id  text NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    type        text NOT NULL,
    config      jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX channel_by_type ON channel (project_id, type, created_at);

-- A journey's editable draft and, once published, the version new entries run.
CREATE TABLE journey (
    id                 text PRIMARY KEY,
    project_id         text NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    name               text NOT NULL,
    status             text NOT NULL,
    definition         jsonb NOT NULL,
    published_version  integer,
    trigger_event      text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX journey_by_trigger ON journey (project_id, trigger_event) WHERE status = 'published';

CREATE TABLE journey_version (
    journey_id    text NOT NULL REFERENCES journey (id) ON DELETE CASCADE,
    version       integer NOT NULL,
    definition    jsonb NOT NULL,
    published_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (journey_id, version)
);

-- One row per workflow: the instance state the API shows (the embedded Temporal has no visibility).
CREATE TABLE journey_instance (
    workflow_id     text PRIMARY KEY,
    project_id      text NOT NULL,
    journey_id      text NOT NULL,
    journey_version integer NOT NULL,
    subject_type    text NOT NULL,
    subject_id      text NOT NULL,
    entry_event_id  bigint NOT NULL,
    status          text NOT NULL,
    current_step    text,
    end_reason      text,
    entered_at      timestamptz NOT NULL DEFAULT now(),
    ended_at        timestamptz
);
CREATE INDEX journey_instance_by_journey ON journey_instance (journey_id, entered_at DESC);
CREATE INDEX journey_instance_by_subject ON journey_instance (project_id, subject_type, subject_id);

-- The message log: one row per (instance, step); id is the idempotency key every attempt carries.
CREATE TABLE message (
    id               text PRIMARY KEY,
    project_id       text NOT NULL,
    journey_id       text,
    journey_version  integer,
    workflow_id      text,
    step_id          text,
    subject_type     text NOT NULL,
    subject_id       text NOT NULL,
    channel          text NOT NULL,
    content          jsonb,
    status           text NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);
CREATE INDEX message_recent ON message (project_id, created_at DESC, id DESC);
CREATE INDEX message_by_subject ON message (project_id, subject_id, created_at DESC);
CREATE INDEX message_by_journey ON message (journey_id, created_at DESC);
