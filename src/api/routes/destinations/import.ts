/**
 * `POST /api/projects/:project_id/hog_functions/import/` — import PostHog hog functions
 * (`src/importer/posthog.ts`, `docs/import.md`). The body is PostHog's export: its list response
 * `{results: […]}`, an array of functions, or one function; `?dry_run=true` (or `"dry_run": true` in an
 * object body) reports what would change and writes nothing. One function's errors are reported with
 * it and do not stop the others.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Destination } from '../../../destinations/model.js';
import type { Keyring } from '../../../destinations/secrets.js';
import {
  functionsOfExport,
  importedDestinationId,
  isObject,
  prepareFunction,
  sameImportedFields,
  type ImportItem,
} from '../../../importer/posthog.js';
import type { Project, Store } from '../../../store/store.js';
import { ApiError } from '../../errors.js';
import { ProjectIdParams, ref } from '../../schemas/common.js';
import { AUTH_ERRORS, errorResponses } from '../../schemas/errors.js';
import { ImportBody, ImportQuery, ImportReport } from '../../schemas/imports.js';
import { projectOr404, validateForProject } from './common.js';
import { encryptSecretInputs } from './secrets.js';
import { destinationOf } from './views.js';

export interface ImportRoutesOptions {
  store: Store;
  keyring: Keyring;
  onDestinationsChanged?: () => void;
}

/** A whole project's export with long Hog programs; larger bodies are refused with 413. */
const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;

export async function importRoutes(app: FastifyInstance, opts: ImportRoutesOptions): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/api/projects/:project_id/hog_functions/import/',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        params: ProjectIdParams,
        querystring: ImportQuery,
        body: ImportBody,
        response: { 200: ref(ImportReport), ...errorResponses(400, ...AUTH_ERRORS, 404, 413) },
      },
    },
    async (request) => {
      const project = await projectOr404(opts.store, request.params.project_id);
      const functions = functionsOfExport(request.body);
      if (typeof functions === 'string') throw new ApiError('SLUICE_ERR_API_INVALID_INPUT', functions);
      const dryRun = request.query.dry_run === true || (isObject(request.body) && request.body.dry_run === true);
      const report = await importFunctions(opts, project, functions, dryRun);
      if (!dryRun && report.results.some((r) => r.status === 'created' || r.status === 'updated')) opts.onDestinationsChanged?.();
      return report;
    },
  );
}

async function importFunctions(opts: ImportRoutesOptions, project: Project, functions: unknown[], dryRun: boolean): Promise<ImportReport> {
  const results: ImportItem[] = [];
  const seen = new Set<string>();
  for (const [index, fn] of functions.entries()) {
    results.push(await importOne(opts, project, fn, index, dryRun, seen));
  }
  const counts = { created: 0, updated: 0, unchanged: 0, skipped: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return { dry_run: dryRun, counts, results };
}

async function importOne(opts: ImportRoutesOptions, project: Project, fn: unknown, index: number, dryRun: boolean, seen: Set<string>): Promise<ImportItem> {
  if (!isObject(fn)) return failed(null, `#${index}`, 'function', 'each function must be an object');
  const posthogId = typeof fn.id === 'string' || typeof fn.id === 'number' ? String(fn.id) : null;
  const name = typeof fn.name === 'string' ? fn.name : `#${index}`;
  if (posthogId === null || posthogId === '' || posthogId.length > 200) return failed(null, name, 'id', "a PostHog function needs its 'id' (the import key)");
  if (seen.has(posthogId)) return failed(posthogId, name, 'id', `PostHog id ${posthogId} appears twice in this import`);
  seen.add(posthogId);
  const id = importedDestinationId(project.id, posthogId);
  const stored = await opts.store.getDestination(project.id, id);
  const existing = stored ? destinationOf(stored) : undefined;
  const prepared = prepareFunction(fn, project.id, existing);
  if (typeof prepared === 'string') return { posthog_id: posthogId, name, status: 'skipped', reason: prepared };
  const validated = await validateForProject(prepared.body, project, existing);
  if (!validated.ok) {
    return { posthog_id: posthogId, name, status: 'error', errors: validated.errors.map((e) => ({ attr: e.path, detail: e.message })) };
  }
  const destination = encryptSecretInputs(validated.destination, opts.keyring);
  const status = !existing ? 'created' : sameImportedFields(existing, destination) ? 'unchanged' : 'updated';
  if (!dryRun && status !== 'unchanged') await save(opts.store, project, destination);
  const item: ImportItem = { posthog_id: posthogId, name: prepared.name, status, id, enabled: destination.enabled };
  if (prepared.needsSecrets.length > 0) item.needs_secrets = prepared.needsSecrets;
  return item;
}

async function save(store: Store, project: Project, destination: Destination): Promise<void> {
  await store.saveDestination({ id: destination.id, projectId: project.id, enabled: destination.enabled, config: { ...destination } });
}

function failed(posthogId: string | null, name: string, attr: string, detail: string): ImportItem {
  return { posthog_id: posthogId, name, status: 'error', errors: [{ attr, detail }] };
}
