-- 0008: the partitioned log. Every event belongs to one partition (hash of project and distinct id) and
-- records the id of the transaction that appended it (`tx`): a partition is read in (tx, seq) order, only
-- below the oldest transaction still running, which keeps appends free of any shared lock (see
-- postgres-store.ts). Events stored before this migration keep tx 0 and partition 0; the store copies the
-- old single offsets into every partition when it first sets its partitions up.
ALTER TABLE events ADD COLUMN partition smallint NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN tx xid8 NOT NULL DEFAULT '0'::xid8;
ALTER TABLE events ALTER COLUMN tx SET DEFAULT pg_current_xact_id();
CREATE INDEX events_partition_tx_seq ON events (partition, tx, seq);

ALTER TABLE enriched_events ADD COLUMN partition smallint NOT NULL DEFAULT 0;
ALTER TABLE enriched_events ADD COLUMN tx xid8 NOT NULL DEFAULT '0'::xid8;
CREATE INDEX enriched_events_partition_tx_seq ON enriched_events (partition, tx, seq);

CREATE TABLE partition_offsets (
  consumer   text     NOT NULL,
  partition  smallint NOT NULL,
  tx         xid8     NOT NULL DEFAULT '0'::xid8,
  seq        bigint   NOT NULL,
  PRIMARY KEY (consumer, partition)
);

-- One row per partition; the row count is P.
CREATE TABLE partition_leases (
  partition   smallint PRIMARY KEY,
  owner       text,
  epoch       bigint   NOT NULL DEFAULT 0,
  expires_at  bigint   NOT NULL DEFAULT 0
);

CREATE TABLE cluster_members (
  id            text   PRIMARY KEY,
  role          text   NOT NULL,
  host          text   NOT NULL,
  pid           integer NOT NULL,
  started_at    bigint NOT NULL,
  heartbeat_at  bigint NOT NULL
);

-- seq now comes from a sequence: appends no longer queue on the `event_seq` row lock. Numbers are handed
-- out at insert, not at commit, so seq alone no longer orders commits; consumers read (tx, seq) below the
-- oldest running transaction instead. The sequence starts after every seq already handed out. Dropping
-- `event_seq` makes an older Sluice process that still appends the old way fail loudly instead of
-- numbering events beside the sequence.
CREATE SEQUENCE events_seq AS bigint OWNED BY events.seq;
SELECT setval('events_seq', greatest(coalesce((SELECT max(seq) FROM events), 0), (SELECT last FROM event_seq WHERE id = 1), 0) + 1, false);
ALTER TABLE events ALTER COLUMN seq SET DEFAULT nextval('events_seq');
DROP TABLE event_seq;
