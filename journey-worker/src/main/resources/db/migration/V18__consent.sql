-- Consent: a project's subscription topics ("news", "offers") and each subject's choice per topic
-- and channel. A message step that names a topic is sent only to subjects subscribed to it on its
-- channel (transactional messages are exempt). No row means the topic's default.
CREATE TABLE topic (
    project_id      text NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    topic_id        text NOT NULL,
    name            text NOT NULL,
    description     text,
    default_status  text NOT NULL CHECK (default_status IN ('subscribed', 'unsubscribed')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, topic_id)
);

-- channel '*' is the choice for every channel without a row of its own.
CREATE TABLE subscription (
    project_id    text NOT NULL,
    subject_type  text NOT NULL,
    subject_id    text NOT NULL,
    topic_id      text NOT NULL,
    channel       text NOT NULL,
    status        text NOT NULL CHECK (status IN ('subscribed', 'unsubscribed')),
    source        text NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, subject_type, subject_id, topic_id, channel),
    FOREIGN KEY (project_id, topic_id) REFERENCES topic (project_id, topic_id) ON DELETE CASCADE
);
