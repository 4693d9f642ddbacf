-- Users as journeys see them: tags (same value types as event data) and a timezone.
CREATE TABLE app_user (
    project_id  text NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    user_id     text NOT NULL,
    tags        jsonb NOT NULL DEFAULT '{}'::jsonb,
    timezone    text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, user_id)
);

-- The default timezone of time-of-day waits for users whose own is unknown.
ALTER TABLE project ADD COLUMN timezone text NOT NULL DEFAULT 'UTC';

-- Which event types a running instance must hear about (waits for, exits on, converts on):
-- the dispatcher signals an instance only with those.
ALTER TABLE journey_instance ADD COLUMN listens_to text[] NOT NULL DEFAULT '{}';
CREATE INDEX journey_instance_active ON journey_instance (project_id, subject_type, subject_id) WHERE status = 'active';
CREATE INDEX journey_instance_status ON journey_instance (journey_id, status);

-- Re-entry: the last time each subject entered each journey (event time), and how often.
CREATE TABLE journey_entry (
    journey_id       text NOT NULL REFERENCES journey (id) ON DELETE CASCADE,
    subject_type     text NOT NULL,
    subject_id       text NOT NULL,
    last_entered_at  timestamptz NOT NULL,
    entries          integer NOT NULL DEFAULT 1,
    PRIMARY KEY (journey_id, subject_type, subject_id)
);
