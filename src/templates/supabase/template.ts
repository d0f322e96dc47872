import type { TemplateDefinition } from '../types.js';

/**
 * PostgREST insert (https://docs.postgrest.org/en/stable/references/api/tables_views.html), which Supabase
 * serves at `https://<project>.supabase.co/rest/v1`: `POST <url>/<table>` with the row as JSON and
 * `Prefer: return=minimal` (201, no body). With "ignore duplicates", `resolution=ignore-duplicates` makes
 * the insert `ON CONFLICT DO NOTHING` on the primary key, so a retried delivery does not fail or double.
 * Supabase reads the key from the `apikey` header; PostgREST authorises with `Authorization: Bearer <JWT>`.
 * Legacy Supabase keys are JWTs and go in both; newer `sb_secret_…` keys are not JWTs, so they go only in
 * `apikey` unless a JWT is given. A schema other than `public` is chosen with `Content-Profile`.
 */
export const template: TemplateDefinition = {
  id: 'template-supabase',
  name: 'Supabase / PostgREST',
  description: 'Insert each event as a row into a Postgres table through Supabase or PostgREST.',
  category: ['Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/supabase.svg',
  hog: `let base := trim(inputs.url)
if (not match(base, '^https?://[^/]+')) {
  throw Error('Supabase: the URL must be the REST endpoint, such as https://<project>.supabase.co/rest/v1')
}
if (base like '%/') {
  base := trimRight(base, '/')
}
if (not match(inputs.table, '^[A-Za-z_][A-Za-z0-9_]*$')) {
  throw Error('Supabase: the table must be a plain table name (letters, digits and underscores)')
}
let prefer := 'return=minimal'
if (inputs.ignore_duplicates) {
  prefer := 'return=minimal,resolution=ignore-duplicates'
}
let headers := {'Content-Type': 'application/json', 'Prefer': prefer}
if (notEmpty(inputs.api_key)) {
  headers['apikey'] := inputs.api_key
}
let bearer := inputs.jwt
if (empty(bearer) and startsWith(inputs.api_key ?? '', 'eyJ')) {
  bearer := inputs.api_key
}
if (notEmpty(bearer)) {
  headers['Authorization'] := f'Bearer {bearer}'
}
if (notEmpty(inputs.schema) and inputs.schema != 'public') {
  headers['Content-Profile'] := inputs.schema
}
let res := fetch(f'{base}/{inputs.table}', {'method': 'POST', 'headers': headers, 'body': inputs.row})
if (res.status < 200 or res.status >= 300) {
  let detail := res.body
  if (typeof(res.body) = 'object') {
    detail := res.body.message ?? jsonStringify(res.body)
    if (notEmpty(res.body.code)) {
      detail := f'{detail} (code {res.body.code})'
    }
    if (notEmpty(res.body.hint)) {
      detail := f'{detail}; hint: {res.body.hint}'
    }
  }
  throw Error(f'Supabase/PostgREST error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    { key: 'url', type: 'string', label: 'REST URL', description: 'https://<project>.supabase.co/rest/v1 for Supabase, or the root URL of your PostgREST.', required: true },
    { key: 'api_key', type: 'string', label: 'API key', description: 'Supabase: a secret or service_role key (bypasses row level security). Sent as the apikey header.', secret: true, templating: false, required: false },
    { key: 'jwt', type: 'string', label: 'Bearer JWT', description: 'PostgREST: a JWT for a role allowed to insert. Optional for Supabase.', secret: true, templating: false, required: false },
    { key: 'table', type: 'string', label: 'Table', default: 'events', templating: false, required: true },
    { key: 'schema', type: 'string', label: 'Schema', description: 'Must be exposed by the API; leave empty for public.', templating: false, required: false },
    {
      key: 'row',
      type: 'json',
      label: 'Row',
      description: 'Column → value; objects fill json/jsonb columns.',
      default: { uuid: '{event.uuid}', event: '{event.event}', distinct_id: '{event.distinct_id}', timestamp: '{event.timestamp}', properties: '{event.properties}' },
      required: true,
    },
    { key: 'ignore_duplicates', type: 'boolean', label: 'Ignore duplicates', description: 'Skip rows whose primary key exists (needs a primary key such as uuid).', default: true, required: false },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called'",
  },
};
