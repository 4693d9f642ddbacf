-- Retention (issue 18): events and the message log are partitioned by month of the time the engine
-- wrote them (event.received_at, message.created_at), so what is older than every project's window
-- goes with a DROP of its month instead of row-by-row deletes. dev.journey.worker.retention
-- creates months ahead and drops old ones; this migration only converts the tables.
--
-- The existing rows are kept without copying: the old table becomes the partition of the current
-- month with no lower bound (FROM MINVALUE), named after that month, and goes as a whole once the
-- month is past every window. Attaching it builds two indexes (the new key, which includes the
-- partition key, and the eventId index) and checks its rows once; the others are taken over as they are.

-- A unique index on a partitioned table must include the partition key, and a client's retry gets
-- a new received_at: the eventIds a retry must meet live in this table instead, for the dedup window
-- (journey.retention.dedup-window; the job deletes older keys in bounded batches). received_at is
-- the transaction's now(), as for the event stored with it. BRIN: the job's age scans, at almost no
-- cost per insert.
CREATE TABLE event_key (
    project_id   text NOT NULL,
    event_id     text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, event_id)
);
CREATE INDEX event_key_age ON event_key USING brin (received_at);
-- The keys a retry may still meet: those of the default window (30 days).
INSERT INTO event_key (project_id, event_id, received_at)
    SELECT project_id, event_id, received_at FROM event WHERE event_id IS NOT NULL AND received_at > now() - interval '30 days';

ALTER TABLE event RENAME TO event_before_v21;
ALTER TABLE event_before_v21 DROP CONSTRAINT event_pkey;
DROP INDEX event_idempotency;
ALTER INDEX event_recent RENAME TO event_before_v21_recent;
ALTER INDEX event_by_subject RENAME TO event_before_v21_by_subject;
ALTER INDEX event_by_type RENAME TO event_before_v21_by_type;

-- The same columns (and id's sequence), keyed by (id, received_at).
CREATE TABLE event (LIKE event_before_v21 INCLUDING DEFAULTS, PRIMARY KEY (id, received_at)) PARTITION BY RANGE (received_at);
ALTER SEQUENCE event_id_seq OWNED BY event.id;
ALTER TABLE event_before_v21 ALTER COLUMN id DROP DEFAULT;
CREATE INDEX event_recent ON event (project_id, occurred_at DESC, id DESC);
CREATE INDEX event_by_subject ON event (project_id, subject_type, subject_id, occurred_at DESC, id DESC);
CREATE INDEX event_by_type ON event (project_id, type, occurred_at DESC, id DESC) INCLUDE (subject_type, subject_id, data);
-- Finding an event by its eventId (template preview), beyond the dedup window too: what
-- event_idempotency served, no longer unique.
CREATE INDEX event_by_event_id ON event (project_id, event_id) WHERE event_id IS NOT NULL;

ALTER TABLE message RENAME TO message_before_v21;
ALTER TABLE message_before_v21 DROP CONSTRAINT message_pkey;
ALTER INDEX message_recent RENAME TO message_before_v21_recent;
ALTER INDEX message_by_subject RENAME TO message_before_v21_by_subject;
ALTER INDEX message_by_journey RENAME TO message_before_v21_by_journey;
ALTER INDEX message_for_caps RENAME TO message_before_v21_for_caps;
ALTER INDEX message_inapp RENAME TO message_before_v21_inapp;

-- The same columns, keyed by (id, created_at). The message id stays unique across months:
-- MessageStore inserts under a transaction lock on the id after looking in every month (a message
-- id carries no time to find its month by).
CREATE TABLE message (LIKE message_before_v21 INCLUDING DEFAULTS, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);
CREATE INDEX message_recent ON message (project_id, created_at DESC, id DESC);
CREATE INDEX message_by_subject ON message (project_id, subject_id, created_at DESC);
CREATE INDEX message_by_journey ON message (journey_id, created_at DESC);
CREATE INDEX message_for_caps ON message (project_id, subject_type, subject_id, admitted_at)
    WHERE admitted_at IS NOT NULL AND NOT transactional;
CREATE INDEX message_inapp ON message (project_id, subject_id, created_at DESC) WHERE channel = 'inapp';

-- Attaches the old table as the current month's partition (or drops it when empty), then makes
-- sure the next month exists too. The engine creates further months ahead itself.
CREATE FUNCTION pg_temp.partition_by_month(parent text, old text, key text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    month timestamptz := date_trunc('month', now(), 'UTC');
    newest timestamptz;
    upper timestamptz;
BEGIN
    EXECUTE format('SELECT max(%I) FROM %I', key, old) INTO newest;
    IF newest IS NULL THEN
        EXECUTE format('DROP TABLE %I', old);
        upper := month;
    ELSE
        upper := greatest(month, date_trunc('month', newest, 'UTC')) + interval '1 month';
        EXECUTE format('ALTER TABLE %I RENAME TO %I', old, parent || '_p' || to_char((upper - interval '1 month') AT TIME ZONE 'UTC', 'YYYYMM'));
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (MINVALUE) TO (%L)', parent,
                parent || '_p' || to_char((upper - interval '1 month') AT TIME ZONE 'UTC', 'YYYYMM'), upper);
    END IF;
    WHILE upper < month + interval '2 months' LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                parent || '_p' || to_char(upper AT TIME ZONE 'UTC', 'YYYYMM'), parent, upper, upper + interval '1 month');
        upper := upper + interval '1 month';
    END LOOP;
END $$;

SELECT pg_temp.partition_by_month('event', 'event_before_v21', 'received_at');
SELECT pg_temp.partition_by_month('message', 'message_before_v21', 'created_at');

-- Entry events of instances still running when their month is dropped: kept here, so a resumed
-- instance still has what it entered with (InstanceStore reads event and event_kept). Removed with
-- the last instance that needs them.
CREATE TABLE event_kept (LIKE event, PRIMARY KEY (id));

-- Per-project windows in days; null: the engine's default (journey.retention.*).
CREATE TABLE retention_settings (
    project_id      text PRIMARY KEY REFERENCES project (id) ON DELETE CASCADE,
    events_days     integer,
    messages_days   integer,
    instances_days  integer,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Finished instances go in bounded batches, oldest end first.
CREATE INDEX journey_instance_ended ON journey_instance (ended_at) WHERE ended_at IS NOT NULL;
