-- 0004: destination health (src/runtime/health.ts): the watcher's state per destination and the history
-- of its state changes; an index for the retention of parked invocations. Times are epoch milliseconds.
CREATE TABLE destination_health (
  project_id          INTEGER NOT NULL,
  destination_id      TEXT    NOT NULL,
  state               TEXT    NOT NULL,
  since               INTEGER NOT NULL,
  reason              TEXT,
  until               INTEGER,
  tokens              REAL    NOT NULL,
  tokens_at           INTEGER NOT NULL,
  -- JSON array of the starts of recent temporary disables
  temporary_disables  TEXT    NOT NULL,
  PRIMARY KEY (project_id, destination_id)
);

CREATE TABLE destination_health_changes (
  id              INTEGER PRIMARY KEY,
  project_id      INTEGER NOT NULL,
  destination_id  TEXT    NOT NULL,
  at              INTEGER NOT NULL,
  from_state      TEXT    NOT NULL,
  to_state        TEXT    NOT NULL,
  reason          TEXT    NOT NULL,
  until           INTEGER
);
CREATE INDEX destination_health_changes_destination ON destination_health_changes (project_id, destination_id, at);

CREATE INDEX invocations_parked ON invocations (created_at) WHERE state = 'parked';
