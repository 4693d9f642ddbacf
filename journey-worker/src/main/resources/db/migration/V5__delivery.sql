-- Delivery: which channel a message went through, when it was admitted (frequency caps count
-- these times, taken from the journey's clock so a time-skipped test and a real day agree), how
-- long quiet hours hold it, what the provider was told (push tokens reached, SMS segments), and
-- what the user did with it (in-app display/close, clicks).
ALTER TABLE message
    ADD COLUMN channel_id     text,
    ADD COLUMN transactional  boolean NOT NULL DEFAULT false,
    ADD COLUMN admitted_at    timestamptz,
    ADD COLUMN held_until     timestamptz,
    ADD COLUMN delivery       jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN displayed_at   timestamptz,
    ADD COLUMN clicked_at     timestamptz,
    ADD COLUMN closed_at      timestamptz;

-- "At most n per user per period on a channel" counts admitted, non-transactional messages.
CREATE INDEX message_for_caps ON message (project_id, subject_type, subject_id, admitted_at)
    WHERE admitted_at IS NOT NULL AND NOT transactional;
-- A user's in-app inbox.
CREATE INDEX message_inapp ON message (project_id, subject_id, created_at DESC) WHERE channel = 'inapp';

-- Per-project delivery policy (frequency caps, quiet hours, click tracking) and the key that signs
-- tracked links. The key is made by PostgreSQL's strong random source so API and workers, which
-- both read it from here, never need to share a configured secret.
CREATE TABLE delivery_settings (
    project_id    text PRIMARY KEY REFERENCES project (id) ON DELETE CASCADE,
    settings      jsonb NOT NULL DEFAULT '{}'::jsonb,
    link_secret   text NOT NULL DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
