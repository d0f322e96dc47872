/**
 * The globals a destination's code, input templates and filters see:
 *
 *   event   {uuid, event, name, distinct_id, properties, timestamp, elements_chain, url}
 *   person  {id, uuid, name, url, properties}                 (null for a personless event)
 *   groups  {<type>: {id, type, index, url, properties}}
 *   project {id, name, url}
 *   source  {name, url}                                       (the destination)
 *
 * `inputs` is added later, by input evaluation. The inputs here are plain shapes, structurally the
 * same as the store's enriched event (`{event, person: {id, properties, distinct_ids}, groups: {<type>:
 * {key, index, properties}}}`), so an `EnrichedEvent` can be passed as it is.
 *
 * URLs point at the Sluice web UI; their paths are all built in `uiUrls` below.
 */

/** An event as stored. */
export interface GlobalsEventInput {
  uuid: string;
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
  timestamp: string;
  elements_chain?: string | null;
}

/** The person as it is after the event's own changes. */
export interface GlobalsPersonInput {
  id: string;
  properties: Record<string, unknown>;
  distinct_ids?: string[];
  /** False for a personless event: the destination then sees `person: null`. Default true. */
  processed?: boolean;
}

/** One of the event's groups, keyed by group type name in `groups`. */
export interface GlobalsGroupInput {
  key: string;
  index: number;
  properties: Record<string, unknown>;
}

export interface GlobalsProjectInput {
  id: number;
  name: string;
  /** Person properties to show as the person's name, first present wins. */
  personDisplayNameProperties?: string[];
}

export interface GlobalsSourceInput {
  /** The destination's name. */
  name: string;
  /** The destination's id; absent for an unsaved test run. */
  id?: string | null;
}

export interface BuildGlobalsInput {
  event: GlobalsEventInput;
  person?: GlobalsPersonInput | null;
  groups?: Record<string, GlobalsGroupInput> | null;
  project: GlobalsProjectInput;
  source: GlobalsSourceInput;
  /** Base URL of the Sluice UI, e.g. `https://sluice.example.com`. */
  siteUrl: string;
}

export interface EventGlobals {
  uuid: string;
  event: string;
  name: string;
  distinct_id: string;
  properties: Record<string, unknown>;
  timestamp: string;
  elements_chain: string;
  url: string;
}

export interface PersonGlobals {
  id: string;
  uuid: string;
  name: string;
  url: string;
  properties: Record<string, unknown>;
}

export interface GroupGlobals {
  id: string;
  type: string;
  index: number;
  url: string;
  properties: Record<string, unknown>;
}

/**
 * The globals a destination's filters, inputs and code see. A type alias, not an interface: it then fits `Record<string, unknown>`, the VM's globals and the
 * stored invocation's JSON object, with no cast.
 */
export type Globals = {
  event: EventGlobals;
  person: PersonGlobals | null;
  groups: Record<string, GroupGlobals>;
  project: { id: number; name: string; url: string };
  source: { name: string; url: string };
  /** Present while inputs are evaluated and when the destination's code runs. */
  inputs?: Record<string, unknown>;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const hasStrings = (record: Record<string, unknown>, keys: readonly string[]) => keys.every((key) => typeof record[key] === 'string');

const EVENT_STRINGS = ['uuid', 'event', 'name', 'distinct_id', 'timestamp', 'elements_chain', 'url'] as const;
const PERSON_STRINGS = ['id', 'uuid', 'name', 'url'] as const;

function isGroupGlobals(value: unknown): boolean {
  return isRecord(value) && hasStrings(value, ['id', 'type', 'url']) && typeof value.index === 'number' && isRecord(value.properties);
}

/**
 * Where `value` (an invocation's globals read back from the store or a delivery thread's message) differs
 * from the shape `buildGlobals` gives; null when it fits. A few type checks, nothing copied.
 */
export function globalsProblem(value: unknown): string | null {
  if (!isRecord(value)) return 'globals: not an object';
  const { event, person, groups, project, source } = value;
  if (!isRecord(event) || !hasStrings(event, EVENT_STRINGS) || !isRecord(event.properties)) {
    return `globals.event: expected an object with the strings ${EVENT_STRINGS.join(', ')} and the object properties`;
  }
  if (person !== null && !(isRecord(person) && hasStrings(person, PERSON_STRINGS) && isRecord(person.properties))) {
    return `globals.person: expected null or an object with the strings ${PERSON_STRINGS.join(', ')} and the object properties`;
  }
  if (!isRecord(groups) || !Object.values(groups).every(isGroupGlobals)) return 'globals.groups: expected an object of groups {id, type, index, url, properties}';
  if (!isRecord(project) || typeof project.id !== 'number' || !hasStrings(project, ['name', 'url'])) return 'globals.project: expected {id, name, url}';
  if (!isRecord(source) || !hasStrings(source, ['name', 'url'])) return 'globals.source: expected {name, url}';
  return null;
}

export function isGlobals(value: unknown): value is Globals {
  return globalsProblem(value) === null;
}

/** PostHog's default person display-name properties. */
export const DEFAULT_DISPLAY_NAME_PROPERTIES = ['email', 'name', 'username'] as const;

/** Every UI path in one place, so they change together with the UI's routes. */
export function uiUrls(siteUrl: string, projectId: number) {
  const base = `${siteUrl.replace(/\/+$/, '')}/projects/${projectId}`;
  const seg = encodeURIComponent;
  return {
    project: base,
    event: (uuid: string) => `${base}/events/${seg(uuid)}`,
    person: (id: string) => `${base}/persons/${seg(id)}`,
    group: (index: number, key: string) => `${base}/groups/${index}/${seg(key)}`,
    destination: (id: string | null | undefined) => (id ? `${base}/destinations/${seg(id)}` : `${base}/destinations/new`),
  };
}

/** The first display-name property that has a non-empty value, else the distinct id. */
export function personDisplayName(
  properties: Record<string, unknown>,
  distinctId: string,
  displayProperties: readonly string[] = DEFAULT_DISPLAY_NAME_PROPERTIES,
): string {
  for (const key of displayProperties) {
    const value = properties[key];
    if (value !== undefined && value !== null && value !== '') return typeof value === 'string' ? value : JSON.stringify(value);
  }
  return distinctId;
}

/** The `event` global of an event; `url` is its page in the UI. */
export function eventGlobals(event: GlobalsEventInput, url: string): EventGlobals {
  return {
    uuid: event.uuid,
    event: event.event,
    name: event.event,
    distinct_id: event.distinct_id,
    properties: event.properties ?? {},
    timestamp: event.timestamp,
    elements_chain: event.elements_chain ?? '',
    url,
  };
}

export function buildGlobals(input: BuildGlobalsInput): Globals {
  const { event, person, project, source } = input;
  const urls = uiUrls(input.siteUrl, project.id);
  const displayProperties =
    project.personDisplayNameProperties && project.personDisplayNameProperties.length > 0
      ? project.personDisplayNameProperties
      : DEFAULT_DISPLAY_NAME_PROPERTIES;

  const groups: Record<string, GroupGlobals> = {};
  for (const [type, group] of Object.entries(input.groups ?? {})) {
    groups[type] = {
      id: group.key,
      type,
      index: group.index,
      url: urls.group(group.index, group.key),
      properties: group.properties ?? {},
    };
  }

  const hasPerson = person !== null && person !== undefined && person.processed !== false;
  return {
    event: eventGlobals(event, urls.event(event.uuid)),
    person: hasPerson
      ? {
          id: person.id,
          uuid: person.id,
          name: personDisplayName(person.properties ?? {}, event.distinct_id, displayProperties),
          url: urls.person(person.id),
          properties: person.properties ?? {},
        }
      : null,
    groups,
    project: { id: project.id, name: project.name, url: urls.project },
    source: { name: source.name, url: urls.destination(source.id) },
  };
}

/** Example data as a test run or a template fixture gives it: loose, any part may be missing. */
export interface ExampleGlobalsInput {
  event?: unknown;
  /** `null`: the event has no person. */
  person?: unknown;
  groups?: unknown;
}

/** What an example leaves out: the caller's defaults (test runs use fresh values, fixtures fixed ones). */
export interface ExampleDefaults {
  uuid: () => string;
  timestamp: () => string;
  distinctId: string;
  personId: string;
}

/** `value` when it is a plain object (not an array), else an empty one: for reading loose example data. */
export function looseRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Globals for loose example data (`name` for `event`, `uuid` for a person's `id`, `id` for a group's
 * `key` are accepted too), with `defaults` for what is missing. Used by test runs and the fixture runner.
 */
export function globalsFromExample(
  example: ExampleGlobalsInput,
  defaults: ExampleDefaults,
  context: Pick<BuildGlobalsInput, 'project' | 'source' | 'siteUrl'>,
): Globals {
  const event = looseRecord(example.event);
  const groups: Record<string, GlobalsGroupInput> = {};
  for (const [type, g] of Object.entries(looseRecord(example.groups))) {
    const group = looseRecord(g);
    groups[type] = { key: String(group.key ?? group.id ?? type), index: Number(group.index ?? 0), properties: looseRecord(group.properties) };
  }
  const person = example.person === null ? null : looseRecord(example.person);
  return buildGlobals({
    event: {
      uuid: typeof event.uuid === 'string' ? event.uuid : defaults.uuid(),
      event: String(event.event ?? event.name ?? '$pageview'),
      distinct_id: String(event.distinct_id ?? defaults.distinctId),
      properties: looseRecord(event.properties),
      timestamp: typeof event.timestamp === 'string' ? event.timestamp : defaults.timestamp(),
      elements_chain: typeof event.elements_chain === 'string' ? event.elements_chain : '',
    },
    person: person === null ? null : { id: String(person.id ?? person.uuid ?? defaults.personId), properties: looseRecord(person.properties) },
    groups,
    ...context,
  });
}
