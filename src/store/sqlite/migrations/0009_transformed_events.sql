-- 0009: transformations (docs/transformations.md) run as the first step of person processing. The stored
-- event in `events` is never changed: what the chain made of it lives beside its enrichment.
-- `event_json`: the transformed event's fields (uuid, event, distinct_id, properties, timestamp,
-- elements_chain) as JSON when the chain changed the event, else NULL (the stored event stands).
-- `dropped`: a transformation dropped the event; the row only records that person processing passed it
-- (destinations never read it, and it is not counted as waiting for them).
ALTER TABLE enriched_events ADD COLUMN event_json TEXT;
ALTER TABLE enriched_events ADD COLUMN dropped INTEGER NOT NULL DEFAULT 0;
-- The matcher reads only kept events: its index leaves dropped ones out, so a long run of them costs its
-- reads nothing. ("Was this event dropped?", for lag and waiting, is a lookup by the primary key.)
DROP INDEX enriched_events_partition_seq;
CREATE INDEX enriched_events_kept ON enriched_events (partition, seq) WHERE dropped = 0;
