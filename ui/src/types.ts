/** Shapes of the management API, as the UI reads them (see src/api/routes/). */

export type InputType = 'string' | 'number' | 'boolean' | 'choice' | 'dictionary' | 'json' | 'email' | 'integration' | 'integration_field' | 'native_email';

export interface InputSchemaItem {
  key: string;
  type: InputType;
  label?: string;
  description?: string;
  required?: boolean;
  default?: unknown;
  secret?: boolean;
  hidden?: boolean;
  choices?: { value: string; label: string }[];
  templating?: boolean;
}

/** What the API returns for a secret input, and what we send back to keep it. */
export interface SecretMarker {
  secret: true;
}

export type InputEntry = { value: unknown } | SecretMarker;

export interface PropertyFilter {
  key: string;
  type: 'event' | 'person' | 'group' | 'element' | 'hogql';
  operator?: string;
  value?: unknown;
  group_type_index?: number;
}

export interface EventFilter {
  id: string | null;
  name?: string;
  type?: 'events';
  properties?: PropertyFilter[];
}

export interface Filters {
  events?: EventFilter[];
  properties?: PropertyFilter[];
  filter_test_accounts?: boolean;
  hog?: string;
  source?: string;
  source_hog?: string;
}

export interface Masking {
  ttl: number;
  hash: string;
  threshold?: number | null;
}

export type HealthState = 'healthy' | 'degraded' | 'disabled_temporarily' | 'disabled_permanently';

export interface HealthStatus {
  state: HealthState;
  since?: string | null;
  reason?: string | null;
  until?: string | null;
}

export interface HealthChange {
  at: string;
  from: HealthState;
  to: HealthState;
  reason: string;
  until: string | null;
}

/** `GET …/hog_functions/:id/health/`. */
export interface HealthHistory {
  status: HealthStatus;
  changes: HealthChange[];
}

/** `POST …/hog_functions/:id/replay/`: a dry run answers `{dry_run: true, count, states}`. */
export interface ReplayResult {
  dry_run: boolean;
  count: number;
  replayed?: number;
  remaining?: number;
  states: string[];
  due_by?: string | null;
  status?: HealthStatus;
}

export interface Destination {
  id: string;
  type?: string;
  name: string;
  description: string;
  enabled: boolean;
  hog: string;
  inputs_schema: InputSchemaItem[];
  inputs: Record<string, InputEntry>;
  filters: Filters;
  masking: Masking | null;
  mappings: unknown[] | null;
  template_id: string | null;
  icon_url: string | null;
  created_at: string;
  updated_at: string;
  /** Health (docs/health.md); absent on servers before it means healthy. */
  status?: HealthStatus;
  /** Sources only: the public `POST /public/webhooks/:id` URL that runs this source. */
  webhook_url?: string | null;
}

export interface Template {
  id: string;
  /** `destination` or `source_webhook`; absent on older servers means destination. */
  type?: string;
  name: string;
  description: string;
  category: string[];
  status: 'stable' | 'beta' | 'alpha' | 'deprecated';
  icon_url: string;
  hog: string;
  inputs_schema: InputSchemaItem[];
  filters: Filters | null;
  masking: Masking | null;
  mappings: unknown[] | null;
  /** Sources: an example request body for the test panel, written from the vendor's documented payload. */
  example_payload?: unknown;
  /** Sources: example request headers (e.g. a signature header) for the test panel. */
  example_headers?: Record<string, string>;
}

export interface Project {
  id: number;
  name: string;
  api_token: string;
  created_at: string;
}

export interface List<T> {
  count?: number;
  results: T[];
}

export interface LogEntry {
  timestamp: string;
  level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | string;
  message: string;
  instance_id?: string | null;
}

export interface Metrics {
  interval: 'hour' | 'day';
  labels: string[];
  series: { name: string; values: number[] }[];
  totals: Record<string, number>;
}

export interface Invocation {
  id: string;
  state: string;
  event_uuid: string;
  mapping_index: number | null;
  attempts: number;
  error: string | null;
  scheduled_at: string;
  created_at: string;
  finished_at: string | null;
}

export interface TestRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface TestResult {
  status: 'success' | 'error' | 'skipped';
  result: unknown;
  errors: string[];
  logs: { timestamp: string; level: string; message: string }[];
  /** Destinations: the HTTP requests made (or that would be). Absent for sources. */
  requests?: TestRequest[];
  /** Sources: the answer the webhook URL would give. */
  response?: { status: number; body: unknown };
  /** Sources: the events the request would create. */
  captured?: unknown[];
  /** Destinations: fetch calls made by one invocation against the server's limit (`SLUICE_MAX_FETCHES`). */
  fetches?: { made: number; limit: number };
}

export interface CompileDiagnostic {
  message: string;
  line: number;
  column: number;
  offset?: number;
}

export interface CompileResponse {
  ok: boolean;
  diagnostics: CompileDiagnostic[];
}
