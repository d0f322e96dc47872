/**
 * A destination template: what a user picks from the gallery. Creating a destination from a template
 * copies its code, schema and defaults. Field names follow PostHog's templates.
 */
import type { Filters, FunctionType, InputSchemaItem, Mapping, Masking } from '../destinations/model.js';

export type TemplateStatus = 'stable' | 'beta' | 'alpha' | 'deprecated';

export const TEMPLATE_CATEGORIES = [
  'Custom',
  'Messaging',
  'Alerts',
  'CRM',
  'Support',
  'Email',
  'Analytics',
  'Data warehouse',
  'Advertisement',
  'Productivity',
  'SMS & Push',
  // Transformations (docs/transformations.md).
  'Filtering',
  'Privacy',
  'Enrichment',
] as const;

export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export interface TemplateDefinition {
  /** `template-<slug>`, as PostHog names the same destination where it has one. */
  id: string;
  /**
   * Absent: a destination. `source_webhook` templates live in `SOURCE_TEMPLATE_MODULES` (docs/sources.md),
   * `transformation` ones in `TRANSFORMATION_TEMPLATE_MODULES` (docs/transformations.md).
   */
  type?: FunctionType;
  name: string;
  description: string;
  category: TemplateCategory[];
  status: TemplateStatus;
  /** A path served by Sluice (`/static/icons/<slug>.svg`) or a data: URL. */
  icon_url: string;
  hog: string;
  inputs_schema: InputSchemaItem[];
  filters?: Filters;
  masking?: Masking | null;
  mappings?: Mapping[] | null;
  /**
   * Input keys this template took before it adopted PostHog's names (old key → new key). A configuration
   * that still sends an old key, to a template whose schema no longer has it, is read as the new key.
   * Destinations already stored keep their own code and schema, so they run as they did.
   */
  renamed_inputs?: Record<string, string>;
}

/** Event, person and groups of a fixture, as loose as a test wants them; the runner fills the rest. */
export interface FixtureEvent {
  event: string;
  distinct_id?: string;
  uuid?: string;
  timestamp?: string;
  properties?: Record<string, unknown>;
  elements_chain?: string;
}

export interface ExpectedRequest {
  method: string;
  url: string;
  /** Compared exactly (names lower-cased) when given. */
  headers?: Record<string, string>;
  /** A JSON body is compared as parsed JSON; a string body as text. Omit for no body. */
  body?: unknown;
}

/** One example: an event in, the exact HTTP requests out. */
export interface TemplateFixture {
  name: string;
  event: FixtureEvent;
  person?: { id?: string; properties?: Record<string, unknown> } | null;
  groups?: Record<string, { key: string; index: number; properties?: Record<string, unknown> }>;
  /** Input values by key (`{url: 'https://…'}`); schema defaults fill the rest. */
  inputs: Record<string, unknown>;
  /** The clock during the run (ISO); default `2026-01-01T00:00:00.000Z`, so signatures and dates are reproducible. */
  now?: string;
  /**
   * The fixture gives the inputs PostHog's own template takes (its keys, types and defaults) and expects the
   * requests PostHog's template makes for them: the contract a configuration brought from PostHog relies on.
   */
  posthog?: true;
  /** Fetches allowed in this run (`SLUICE_MAX_FETCHES`); default 2. For a path that needs more. */
  maxFetches?: number;
  /** Answers for the fetches, in order; default `{status: 200, body: {}}`. */
  responses?: { status: number; body?: unknown; headers?: Record<string, string> }[];
  expect: {
    /** Default `succeeded`. `skipped` means the template's default filters do not match. */
    status?: 'succeeded' | 'failed' | 'skipped';
    requests: ExpectedRequest[];
    /** For `failed`: text the error must contain. */
    error?: string;
    /** Text that must not appear in any log line (e.g. a secret). */
    logsMustNotContain?: string[];
  };
}

export interface TemplateModule {
  template: TemplateDefinition;
  fixtures: TemplateFixture[];
}

/** One example for a webhook source: a request in, the exact answer and captured events out. */
export interface SourceFixture {
  name: string;
  /** Input values by key; schema defaults fill the rest. */
  inputs: Record<string, unknown>;
  request: { method?: string; headers?: Record<string, string>; query?: Record<string, string>; body: string };
  /**
   * Headers computed when the fixture runs (a signature over the body and the current time), from the
   * secret input values and the body: vendors sign with the time, so signed fixtures are made fresh.
   */
  sign?: (inputs: Record<string, unknown>, body: string, nowSeconds: number) => Record<string, string>;
  expect: {
    status: number;
    /** Compared as parsed JSON when given. */
    body?: unknown;
    events: { event: string; distinct_id: string; properties: Record<string, unknown> }[];
  };
}

export interface SourceTemplateModule {
  template: TemplateDefinition;
  fixtures: SourceFixture[];
}

/** The event a transformation fixture expects out; fields left out must equal the input's. */
export interface ExpectedEvent {
  event?: string;
  distinct_id?: string;
  uuid?: string;
  timestamp?: string;
  /** Compared exactly (the whole properties object). */
  properties: Record<string, unknown>;
}

/** One example for a transformation: an event in, exactly this event out — or none (`dropped`). */
export interface TransformationFixture {
  name: string;
  event: FixtureEvent;
  /** Input values by key; schema defaults fill the rest. */
  inputs: Record<string, unknown>;
  /** Filters instead of the template's defaults (to show a configuration, e.g. internal users). */
  filters?: Filters;
  allow_identity_changes?: boolean;
  expect:
    | { dropped: true }
    | {
        event: ExpectedEvent;
        /** Checked when given: `unchanged` and `skipped_by_filter` both leave the event as it was. */
        result?: 'transformed' | 'unchanged' | 'skipped_by_filter';
      };
}

export interface TransformationTemplateModule {
  template: TemplateDefinition;
  fixtures: TransformationFixture[];
}
