/**
 * `GET /api/projects/:id/events/` — a project's recent events, newest first, filterable by event name,
 * distinct id and time. With `hog_function=<id>` only the events that function's filters match are
 * returned, each with the person as it is now: the test panel's "latest matching event".
 *
 * Only the newest events of the log are looked through (`SCAN_EVENTS`): capture adds no index for this
 * (it would slow every append), so the endpoint answers for recent traffic, which is what a test needs.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { destinationFromStored } from '../../../destinations/config-schema.js';
import type { Destination } from '../../../destinations/model.js';
import { matchesFilters } from '../../../destinations/filters.js';
import { buildGlobals, type Globals } from '../../../destinations/globals.js';
import type { Person, Project, Store, StoredEvent } from '../../../store/store.js';
import { ApiError, isoTimeParam } from '../../errors.js';
import { ref } from '../../schemas/common.js';
import { AUTH_ERRORS, errorResponses } from '../../schemas/errors.js';
import { EventList, EVENTS_DEFAULT_LIMIT, EventsQuery, type Event } from '../../schemas/events.js';
import { ProjectParams } from '../../schemas/projects.js';

/** Events of the whole log looked through per request. */
const SCAN_EVENTS = 100_000;
/** With `hog_function`: candidate events whose filters are evaluated per request, and the time per filter run. */
const MAX_FILTER_RUNS = 500;
const FILTER_TIMEOUT_MS = 25;
const SEARCH_BUDGET_MS = 1_000;
const MAX_EVENT_NAMES = 50;

function eventView(e: StoredEvent, person?: Person | null): Event {
  const view: Event = {
    uuid: e.uuid,
    event: e.event,
    distinct_id: e.distinct_id,
    properties: e.properties,
    timestamp: e.timestamp,
    elements_chain: e.elements_chain ?? '',
    received_at: e.receivedAt,
  };
  if (person !== undefined) view.person = person === null ? null : { id: person.id, distinct_ids: person.distinctIds, properties: person.properties };
  return view;
}

function eventNames(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = [...new Set(text.split(',').map((n) => n.trim()).filter((n) => n !== ''))];
  if (names.length > MAX_EVENT_NAMES) throw new ApiError('SLUICE_ERR_API_INVALID_INPUT', `event names at most ${MAX_EVENT_NAMES} names, not ${names.length}`, 'event');
  return names.length > 0 ? names : undefined;
}

function globalsOf(project: Project, destination: Destination, event: StoredEvent, person: Person | null): Globals {
  return buildGlobals({
    event: { uuid: event.uuid, event: event.event, distinct_id: event.distinct_id, properties: event.properties, timestamp: event.timestamp, elements_chain: event.elements_chain ?? '' },
    person: person === null ? null : { id: person.id, properties: person.properties },
    groups: {},
    project: { id: project.id, name: project.name },
    source: { name: destination.name, id: destination.id },
    siteUrl: '',
  });
}

export function eventRoutes(app: FastifyInstance, store: Store, projectOr404: (id: number) => Promise<Project>): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/projects/:id/events/',
    { schema: { params: ProjectParams, querystring: EventsQuery, response: { 200: ref(EventList), ...errorResponses(400, ...AUTH_ERRORS, 404) } } },
    async (request) => {
      const project = await projectOr404(request.params.id);
      const q = request.query;
      const limit = q.limit ?? EVENTS_DEFAULT_LIMIT;
      const after = q.after === undefined ? undefined : isoTimeParam(q.after, 'after');
      const before = q.before === undefined ? undefined : isoTimeParam(q.before, 'before');
      const base = { scan: SCAN_EVENTS, ...(q.distinct_id !== undefined ? { distinctId: q.distinct_id } : {}), ...(after ? { after } : {}), ...(before ? { before } : {}) };
      const events = eventNames(q.event);
      if (q.hog_function === undefined) {
        const found = await store.listRecentEvents(project.id, { ...base, ...(events ? { events } : {}), limit });
        return { next: null, results: found.map((e) => eventView(e)) };
      }
      const stored = await store.getDestination(project.id, q.hog_function);
      if (stored === null) throw new ApiError('SLUICE_ERR_API_NOT_FOUND', `hog function ${q.hog_function} does not exist in project ${project.id}`, 'hog_function');
      const destination = destinationFromStored(stored);
      // The filters' own event names narrow the scan; their property filters run on each candidate.
      const filterNames = (destination.filters.events ?? []).map((e) => e.id);
      const names = events ?? (filterNames.length > 0 && !filterNames.includes(null) ? (filterNames as string[]) : undefined);
      const candidates = await store.listRecentEvents(project.id, { ...base, ...(names ? { events: names } : {}), limit: MAX_FILTER_RUNS });
      const results = [];
      const persons = new Map<string, Person | null>();
      // A slow filter must not hold the API: the search ends after its time budget with what it found.
      const deadline = Date.now() + SEARCH_BUDGET_MS;
      const bytecode = destination.filters.bytecode;
      for (const event of candidates) {
        if (Date.now() > deadline) break;
        let person = persons.get(event.distinct_id);
        if (person === undefined) persons.set(event.distinct_id, (person = await store.getPersonByDistinctId(project.id, event.distinct_id)));
        if (bytecode && !matchesFilters(bytecode, globalsOf(project, destination, event, person), { timeoutMs: FILTER_TIMEOUT_MS }).matched) continue;
        results.push(eventView(event, person));
        if (results.length >= limit) break;
      }
      return { next: null, results };
    },
  );
}
