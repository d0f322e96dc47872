-- 0003: counters shared by every process (masking windows, health-watcher state, rate limits).
-- A counter lives until `expires_at` (epoch ms); an expired counter counts as absent.
CREATE TABLE shared_counters (
  key         TEXT    PRIMARY KEY,
  value       INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX shared_counters_expires ON shared_counters (expires_at);
