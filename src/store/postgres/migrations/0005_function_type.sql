-- 0005: the function type (src/destinations/model.ts `FUNCTION_TYPES`): `destination` runs on matching
-- events; `source_webhook` runs on requests to its public URL (docs/sources.md). A column beside the JSON
-- config so the matcher's list and the public URL's lookup filter on it in SQL.
ALTER TABLE destinations ADD COLUMN type TEXT NOT NULL DEFAULT 'destination';
