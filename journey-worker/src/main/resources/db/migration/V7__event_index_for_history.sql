-- Event-history conditions (segments, "did X since …") read the events of one type in a time
-- window, with conditions on their data. Carrying subject and data in the index that already
-- orders events by (project, type, time) lets PostgreSQL answer them from the index alone
-- (an index-only scan) instead of visiting a heap page per event: the index replaces
-- event_by_type rather than adding one, so ingest maintains the same number of indexes.
DROP INDEX event_by_type;
CREATE INDEX event_by_type ON event (project_id, type, occurred_at DESC, id DESC) INCLUDE (subject_type, subject_id, data);

