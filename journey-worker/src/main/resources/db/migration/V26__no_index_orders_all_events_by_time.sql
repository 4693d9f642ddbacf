-- The recent-events list without a subject or type is read from event_by_type, type by type
-- (EventStore.recentOfEveryType): this index cost every insert enough to take ~20 % off batch
-- ingest (its DESC keys put every insert of a project on the same edge page), for one list.
DROP INDEX IF EXISTS event_recent;
