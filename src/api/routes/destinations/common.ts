/** Helpers shared by the destination routes: parameters, lookups, validation for a project. */
import type { Destination } from '../../../destinations/model.js';
import type { ValidationError } from '../../../destinations/validation.js';
import { MAX_IMPORT_DEPTH } from '../../../importer/posthog.js';
import { findTooDeep } from '../../../ingest/depth.js';
import type { Project, Store } from '../../../store/store.js';
import { validateDestinationOffThread } from '../../compile-pool.js';
import { ApiError } from '../../errors.js';
import { normalizeSecretMarkers, secretFlagChangeErrors } from './secrets.js';
import { destinationOf } from './views.js';

export class ValidationFailed extends ApiError {
  constructor(readonly errors: ValidationError[]) {
    const first = errors[0]!;
    const where = first.line !== undefined ? ` (at ${first.line}:${first.column})` : '';
    super('SLUICE_ERR_API_INVALID_INPUT', `${first.path}: ${first.message}${where}`, first.path, {
      errors: errors.map((e) => ({ attr: e.path, detail: e.message, line: e.line ?? null, column: e.column ?? null })),
    });
  }
}

export async function projectOr404(store: Store, id: number): Promise<Project> {
  const project = await store.getProject(id);
  if (project === null) throw new ApiError('SLUICE_ERR_API_NOT_FOUND', `project ${id} does not exist`);
  return project;
}

export async function destinationOr404(store: Store, projectId: number, id: string): Promise<Destination> {
  const stored = await store.getDestination(projectId, id);
  if (stored === null) throw new ApiError('SLUICE_ERR_API_NOT_FOUND', `destination ${id} does not exist in project ${projectId}`);
  return destinationOf(stored);
}

function testAccountFiltersOf(project: Project) {
  const filters = project.settings.test_account_filters;
  return Array.isArray(filters) ? filters : [];
}

/**
 * How deep a destination body may nest: as deep as an import may (a PostHog function nests far less). The
 * validator and the filter compiler recurse, so deeper bodies are refused before they reach them.
 */
export const MAX_BODY_DEPTH = MAX_IMPORT_DEPTH;

/** Validate and compile a destination, in the compile thread when it has much code (`compile-pool.ts`). */
export async function validateForProject(body: unknown, project: Project, existing?: Destination) {
  const tooDeep = findTooDeep(body, MAX_BODY_DEPTH);
  if (tooDeep !== null) {
    return { ok: false as const, errors: [{ path: tooDeep.path, message: `nested deeper than ${MAX_BODY_DEPTH} levels here; a destination needs far fewer` }] };
  }
  const normalized = typeof body === 'object' && body !== null && !Array.isArray(body) ? normalizeSecretMarkers(body as Record<string, unknown>) : body;
  const result = await validateDestinationOffThread(normalized, { existing, testAccountFilters: testAccountFiltersOf(project) });
  if (!result.ok || !existing) return result;
  const flagErrors = secretFlagChangeErrors(normalized as Record<string, unknown>, existing, result.destination);
  return flagErrors.length > 0 ? { ok: false as const, errors: flagErrors } : result;
}

