/**
 * `sluice import posthog`: bring PostHog hog functions into a running Sluice through its import API
 * (`POST /api/projects/:id/hog_functions/import/`, `docs/import.md`), from an export file or straight
 * from a PostHog instance.
 */
import { readFileSync } from 'node:fs';
import { fetchPostHogFunctions } from '../importer/posthog-client.js';
import type { ImportReport } from '../importer/posthog.js';

const USAGE = `Usage:
  sluice import posthog --file EXPORT.json [--project 1] [--dry-run]
  sluice import posthog --host https://us.posthog.com --api-key phx_… --posthog-project ID [--project 1] [--dry-run]
Sluice is reached at --sluice URL (default $SLUICE_URL or http://localhost:8040) with --sluice-key
(default $SLUICE_API_KEY), a Sluice personal API key.
`;

interface ImportArgs {
  file?: string;
  host?: string;
  apiKey?: string;
  posthogProject?: string;
  project: string;
  dryRun: boolean;
  sluice: string;
  sluiceKey?: string;
}

/** The options that take a value: each sets one string field. */
type ValueField = { [K in keyof ImportArgs]-?: ImportArgs[K] extends boolean ? never : K }[keyof ImportArgs];

const VALUE_FLAGS: Record<string, ValueField> = {
  '--file': 'file',
  '--host': 'host',
  '--api-key': 'apiKey',
  '--posthog-project': 'posthogProject',
  '--project': 'project',
  '--sluice': 'sluice',
  '--sluice-key': 'sluiceKey',
};

function parseArgs(args: string[], env: NodeJS.ProcessEnv): ImportArgs {
  const parsed: ImportArgs = { project: '1', dryRun: false, sluice: env.SLUICE_URL ?? 'http://localhost:8040' };
  if (env.SLUICE_API_KEY) parsed.sluiceKey = env.SLUICE_API_KEY;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    if (flag === '--dry-run') {
      parsed.dryRun = true;
      continue;
    }
    const field = VALUE_FLAGS[flag];
    const value = args[i + 1];
    if (!field || value === undefined) throw new Error(`${field ? `${flag} needs a value` : `unknown option '${flag}'`}\n${USAGE}`);
    parsed[field] = value;
    i++;
  }
  if (!parsed.file === !parsed.host) throw new Error(`give either --file or --host\n${USAGE}`);
  if (parsed.host && (!parsed.apiKey || !parsed.posthogProject)) throw new Error(`--host needs --api-key and --posthog-project\n${USAGE}`);
  if (!/^[1-9][0-9]*$/.test(parsed.project)) throw new Error(`--project must be a Sluice project id (a positive integer), not '${parsed.project}'`);
  return parsed;
}

async function readExport(args: ImportArgs): Promise<unknown> {
  if (args.file) {
    const text = readFileSync(args.file, 'utf8');
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new Error(`${args.file} is not JSON: ${(error as Error).message}`);
    }
  }
  return fetchPostHogFunctions({ host: args.host!, apiKey: args.apiKey!, projectId: args.posthogProject! });
}

async function postImport(args: ImportArgs, body: unknown): Promise<ImportReport> {
  const url = `${args.sluice.replace(/\/+$/, '')}/api/projects/${args.project}/hog_functions/import/${args.dryRun ? '?dry_run=true' : ''}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(args.sluiceKey ? { authorization: `Bearer ${args.sluiceKey}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Sluice answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as ImportReport;
}

/** One line per function, then the totals: what a person reads after an import or a dry run. */
export function formatReport(report: ImportReport): string {
  const lines: string[] = [];
  const verb = report.dry_run ? { created: 'would create', updated: 'would update' } : { created: 'created', updated: 'updated' };
  for (const r of report.results) {
    const status = r.status === 'created' || r.status === 'updated' ? verb[r.status] : r.status;
    let line = `${status.padEnd(12)} ${r.name}${r.posthog_id ? ` (PostHog ${r.posthog_id})` : ''}`;
    if (r.needs_secrets?.length) line += ` — disabled until its secrets are set: ${r.needs_secrets.join(', ')}`;
    if (r.reason) line += ` — ${r.reason}`;
    if (r.errors?.length) line += ` — ${r.errors.map((e) => `${e.attr}: ${e.detail}`).join('; ')}`;
    lines.push(line);
  }
  const c = report.counts;
  lines.push(`${report.dry_run ? 'Dry run: ' : ''}${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.error} failed`);
  return `${lines.join('\n')}\n`;
}

export async function importCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [source, ...rest] = args;
  if (source !== 'posthog') {
    process.stderr.write(`sluice import: only 'posthog' can be imported\n${USAGE}`);
    return 1;
  }
  const parsed = parseArgs(rest, env);
  const report = await postImport(parsed, await readExport(parsed));
  process.stdout.write(formatReport(report));
  return report.counts.error > 0 ? 2 : 0;
}
