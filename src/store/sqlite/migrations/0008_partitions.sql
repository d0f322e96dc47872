-- 0008: the partitioned log. Every event belongs to one partition (hash of project and distinct id);
-- consumers keep one offset per partition, and worker processes lease partitions. Events stored before
-- this migration stay in partition 0; the store copies the old single offsets into every partition when
-- it first sets its partitions up, so nothing already processed runs again and nothing pending is lost.
ALTER TABLE events ADD COLUMN partition INTEGER NOT NULL DEFAULT 0;
CREATE INDEX events_partition_seq ON events (partition, seq);

ALTER TABLE enriched_events ADD COLUMN partition INTEGER NOT NULL DEFAULT 0;
CREATE INDEX enriched_events_partition_seq ON enriched_events (partition, seq);

CREATE TABLE partition_offsets (
  consumer   TEXT    NOT NULL,
  partition  INTEGER NOT NULL,
  tx         INTEGER NOT NULL DEFAULT 0,
  seq        INTEGER NOT NULL,
  PRIMARY KEY (consumer, partition)
) WITHOUT ROWID;

-- One row per partition; the row count is P.
CREATE TABLE partition_leases (
  partition   INTEGER PRIMARY KEY,
  owner       TEXT,
  epoch       INTEGER NOT NULL DEFAULT 0,
  expires_at  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE cluster_members (
  id            TEXT    PRIMARY KEY,
  role          TEXT    NOT NULL,
  host          TEXT    NOT NULL,
  pid           INTEGER NOT NULL,
  started_at    INTEGER NOT NULL,
  heartbeat_at  INTEGER NOT NULL
);
