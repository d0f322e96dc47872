import type { TemplateFixture } from '../types.js';

const LEGACY_KEY = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2x1aWNlLWZpeHR1cmUtc2lnbmF0dXJl';
const NEW_KEY = 'sb_secret_9fQk2mXvLr0sluicefixture';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoid3JpdGVyIn0.cG9zdGdyZXN0LWZpeHR1cmU';
const event = { event: 'signup', distinct_id: 'u5', uuid: '0190a1b2-0000-7000-8000-0000000000e1', timestamp: '2026-01-02T03:04:05.000Z', properties: { plan: 'free' } };
const URL = 'https://abcdefghijklmnop.supabase.co/rest/v1';

export const fixtures: TemplateFixture[] = [
  {
    name: 'inserts the default row with a legacy key as apikey and Bearer, ignoring duplicates',
    event,
    inputs: { url: `${URL}/`, api_key: LEGACY_KEY },
    responses: [{ status: 201 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: `${URL}/events`,
          headers: { 'content-type': 'application/json', prefer: 'return=minimal,resolution=ignore-duplicates', apikey: LEGACY_KEY, authorization: `Bearer ${LEGACY_KEY}` },
          body: { uuid: '0190a1b2-0000-7000-8000-0000000000e1', event: 'signup', distinct_id: 'u5', timestamp: '2026-01-02T03:04:05.000Z', properties: { plan: 'free' } },
        },
      ],
      logsMustNotContain: [LEGACY_KEY],
    },
  },
  {
    name: 'sends a new secret key only as apikey, into another schema',
    event,
    inputs: { url: URL, api_key: NEW_KEY, table: 'signups', schema: 'analytics', ignore_duplicates: false, row: { id: '{event.uuid}' } },
    responses: [{ status: 201 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: `${URL}/signups`,
          headers: { 'content-type': 'application/json', prefer: 'return=minimal', apikey: NEW_KEY, 'content-profile': 'analytics' },
          body: { id: '0190a1b2-0000-7000-8000-0000000000e1' },
        },
      ],
      logsMustNotContain: [NEW_KEY],
    },
  },
  {
    name: 'authorises a self-hosted PostgREST with a JWT only',
    event,
    inputs: { url: 'http://postgrest:3000', jwt: JWT },
    responses: [{ status: 201 }],
    expect: {
      requests: [
        {
          method: 'POST',
          url: 'http://postgrest:3000/events',
          headers: { 'content-type': 'application/json', prefer: 'return=minimal,resolution=ignore-duplicates', authorization: `Bearer ${JWT}` },
        },
      ],
      logsMustNotContain: [JWT],
    },
  },
  {
    name: 'fails with the PostgREST message, code and hint',
    event,
    inputs: { url: URL, api_key: LEGACY_KEY },
    responses: [{ status: 404, body: { code: 'PGRST205', details: null, hint: "Perhaps you meant the table 'public.event'", message: "Could not find the table 'public.events' in the schema cache" } }],
    expect: {
      status: 'failed',
      error: "Supabase/PostgREST error (status 404): Could not find the table 'public.events' in the schema cache (code PGRST205); hint: Perhaps you meant the table 'public.event'",
      requests: [{ method: 'POST', url: `${URL}/events` }],
      logsMustNotContain: [LEGACY_KEY],
    },
  },
  {
    name: 'refuses a table name with a path or query in it, without a request',
    event,
    inputs: { url: URL, api_key: NEW_KEY, table: 'events?select=*' },
    expect: { status: 'failed', error: 'the table must be a plain table name', requests: [] },
  },
  {
    name: 'is skipped for $feature_flag_called by default',
    event: { event: '$feature_flag_called', distinct_id: 'u5' },
    inputs: { url: URL, api_key: NEW_KEY },
    expect: { status: 'skipped', requests: [] },
  },
];
