-- 0007: scoped personal API keys (Postgres dialect of src/store/sqlite/migrations/0007_scoped_keys.sql).
-- A key holds scopes (`hog_function:read`, …, or `*`, a JSON array as TEXT) and the projects it may use
-- (a JSON array of project ids, NULL for every project). Keys that exist already were admin keys (every
-- scope, every project) and stay so. A revoked key keeps its row (for the list) with `revoked_at`;
-- `last_used_at` is written at most once a minute per key.
ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT '["*"]';
ALTER TABLE api_keys ADD COLUMN scoped_projects TEXT;
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;
ALTER TABLE api_keys ADD COLUMN revoked_at TEXT;
