-- 0002: destinations, the invocation queue, destination logs and metrics.

-- A destination's validated configuration (src/destinations/model.ts) as JSON; secrets already encrypted.
-- `version` comes from one counter shared by all destinations (max + 1 on every write, deletes included),
-- so max(version) changes whenever anything changed: that is how workers notice.
CREATE TABLE destinations (
  id          TEXT    PRIMARY KEY,
  project_id  INTEGER NOT NULL,
  enabled     INTEGER NOT NULL,
  config      TEXT    NOT NULL,
  created_at  TEXT    NOT NULL,
  updated_at  TEXT    NOT NULL,
  version     INTEGER NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX destinations_project ON destinations (project_id, created_at) WHERE deleted = 0;
CREATE INDEX destinations_version ON destinations (version);

-- The durable queue. Times are epoch milliseconds. A row is claimable when it is `queued` and due, or
-- `running` with an expired lock (its worker died).
CREATE TABLE invocations (
  id                TEXT    PRIMARY KEY,
  project_id        INTEGER NOT NULL,
  destination_id    TEXT    NOT NULL,
  mapping_index     INTEGER,
  event_uuid        TEXT    NOT NULL,
  globals           TEXT    NOT NULL,
  priority          INTEGER NOT NULL,
  scheduled_at      INTEGER NOT NULL,
  state             TEXT    NOT NULL,
  suspension        TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  first_attempt_at  INTEGER,
  locked_by         TEXT,
  locked_until      INTEGER,
  error             TEXT,
  created_at        INTEGER NOT NULL,
  finished_at       INTEGER
);
-- Claiming walks these two small partial indexes only: rows leave them when they run or finish.
CREATE INDEX invocations_queued ON invocations (priority, scheduled_at) WHERE state = 'queued';
CREATE INDEX invocations_running ON invocations (locked_until) WHERE state = 'running';
CREATE INDEX invocations_destination ON invocations (project_id, destination_id, created_at);
CREATE INDEX invocations_finished ON invocations (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE destination_logs (
  id              INTEGER PRIMARY KEY,
  project_id      INTEGER NOT NULL,
  destination_id  TEXT    NOT NULL,
  invocation_id   TEXT,
  timestamp       TEXT    NOT NULL,
  level           TEXT    NOT NULL,
  message         TEXT    NOT NULL
);
CREATE INDEX destination_logs_destination ON destination_logs (project_id, destination_id, timestamp);
CREATE INDEX destination_logs_invocation ON destination_logs (invocation_id) WHERE invocation_id IS NOT NULL;
CREATE INDEX destination_logs_timestamp ON destination_logs (timestamp);

-- Hourly counters; a day is the sum of its hours.
CREATE TABLE destination_metrics (
  project_id      INTEGER NOT NULL,
  destination_id  TEXT    NOT NULL,
  hour            TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  count           INTEGER NOT NULL,
  PRIMARY KEY (project_id, destination_id, hour, name)
) WITHOUT ROWID;
CREATE INDEX destination_metrics_hour ON destination_metrics (hour);
