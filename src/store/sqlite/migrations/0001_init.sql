-- 0001: projects, API keys, events, persons, groups, person-processing output.

CREATE TABLE projects (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL,
  api_token   TEXT    NOT NULL UNIQUE,
  settings    TEXT    NOT NULL DEFAULT '{}',
  created_at  TEXT    NOT NULL
);

CREATE TABLE api_keys (
  id            TEXT PRIMARY KEY,
  label         TEXT NOT NULL,
  secure_value  TEXT NOT NULL UNIQUE, -- hex sha256 of the key
  mask_value    TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

-- The intake log. seq is the one global processing order.
CREATE TABLE events (
  seq             INTEGER PRIMARY KEY,
  project_id      INTEGER NOT NULL,
  uuid            TEXT    NOT NULL,
  event           TEXT    NOT NULL,
  distinct_id     TEXT    NOT NULL,
  properties      TEXT    NOT NULL,
  timestamp       TEXT    NOT NULL,
  elements_chain  TEXT,
  received_at     TEXT    NOT NULL
);
-- A retried request must not store an event twice.
CREATE UNIQUE INDEX events_project_uuid ON events (project_id, uuid);

CREATE TABLE persons (
  id             TEXT    PRIMARY KEY,
  project_id     INTEGER NOT NULL,
  properties     TEXT    NOT NULL,
  is_identified  INTEGER NOT NULL DEFAULT 0,
  version        INTEGER NOT NULL,
  created_at     TEXT    NOT NULL
);
CREATE INDEX persons_project ON persons (project_id, created_at);

CREATE TABLE person_distinct_ids (
  project_id   INTEGER NOT NULL,
  distinct_id  TEXT    NOT NULL,
  person_id    TEXT    NOT NULL,
  PRIMARY KEY (project_id, distinct_id)
); -- a rowid table: rowid keeps the order in which a person gained its distinct ids
CREATE INDEX person_distinct_ids_person ON person_distinct_ids (person_id);

CREATE TABLE group_types (
  project_id        INTEGER NOT NULL,
  group_type        TEXT    NOT NULL,
  group_type_index  INTEGER NOT NULL,
  PRIMARY KEY (project_id, group_type),
  UNIQUE (project_id, group_type_index)
);

CREATE TABLE groups (
  project_id        INTEGER NOT NULL,
  group_type_index  INTEGER NOT NULL,
  group_key         TEXT    NOT NULL,
  properties        TEXT    NOT NULL,
  version           INTEGER NOT NULL,
  created_at        TEXT    NOT NULL,
  PRIMARY KEY (project_id, group_type_index, group_key)
) WITHOUT ROWID;

-- Output of person processing, one row per processed event (seq = events.seq).
CREATE TABLE enriched_events (
  seq         INTEGER PRIMARY KEY,
  project_id  INTEGER NOT NULL,
  person      TEXT    NOT NULL,
  groups      TEXT    NOT NULL
);

-- How far each in-order consumer (person processing, later the destinations runtime) has read.
CREATE TABLE consumer_offsets (
  consumer  TEXT    PRIMARY KEY,
  seq       INTEGER NOT NULL
);
