/**
 * The configuration reference, `docs/configuration.md`, rendered from {@link VARIABLES}: the page cannot
 * drift from what `loadConfig` reads (`npm run gen:docs` writes it; a test compares).
 */
import { VARIABLES, type Concern, type Variable } from './config.js';

export const CONFIGURATION_DOC_PATH = 'docs/configuration.md';

const SECTIONS: readonly { concern: Concern; title: string; intro: string }[] = [
  { concern: 'server', title: 'Server', intro: 'Where each process listens and what it serves.' },
  { concern: 'store', title: 'Store', intro: 'SQLite in the data dir by default; Postgres for several processes (`docs/deploy.md`).' },
  { concern: 'pipeline', title: 'Partitions', intro: 'How person processing and matching are split among worker processes.' },
  { concern: 'runtime', title: 'Destinations runtime', intro: 'Running invocations: threads, claims and limits (`docs/runtime.md`).' },
  { concern: 'retention', title: 'Retention', intro: 'How long finished work is kept.' },
  { concern: 'metrics', title: 'Prometheus metrics', intro: '`/metrics` on the main port with a token, or on a port of its own (`docs/metrics.md`).' },
  { concern: 'secrets', title: 'Secrets', intro: 'The keyring that encrypts secret destination inputs.' },
  { concern: 'bootstrap', title: 'First start', intro: 'Read only while the store has no project or no API key yet.' },
  { concern: 'logging', title: 'Logging', intro: '' },
];

const INTRO = `# Configuration reference

<!-- Generated from src/config.ts by \`npm run gen:docs\`: edit the definitions there, not this page. -->

\`sluice start\` reads these environment variables once, at start (\`src/config.ts\`); \`--role\` on its
command line wins over \`SLUICE_ROLE\`. An empty value counts as unset.

- **Bad values stop the start** before anything opens, with one error that lists every bad variable,
  what is wrong with it and what is accepted, e.g. \`SLUICE_PORT must be a whole number from 0 to 65535,
  not 'abc'\`. Values that may hold a secret (database and Redis URLs, keys, tokens) are never repeated
  in an error.
- **Unknown \`SLUICE_*\` variables are logged as warnings** at start, with the closest known name
  (\`SLUICE_PARTITON is not a Sluice setting and is ignored; did you mean SLUICE_PARTITIONS?\`), as are
  settings that have no effect (\`SLUICE_SQLITE_SYNCHRONOUS\` on Postgres). Variables of other commands
  (\`SLUICE_URL\`, \`SLUICE_API_KEY\` of \`sluice import\`) and of Sluice's own tests and benchmarks
  (\`SLUICE_TEST_*\`, \`SLUICE_BENCH_*\`, \`SLUICE_SCALE_*\`) are not warned about.
- With several processes (\`docs/deploy.md\`), give every process the same values, except the ones that
  are per process (\`SLUICE_ROLE\`, \`SLUICE_PORT\`, \`SLUICE_HOST\`, the metrics port).
`;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function section(title: string, intro: string, rows: [string, Variable<unknown>][]): string {
  const lines = [`## ${title}`, ''];
  if (intro) lines.push(intro, '');
  lines.push('| variable | default | meaning |', '|---|---|---|');
  for (const [name, definition] of rows) lines.push(`| \`${name}\` | ${cell(definition.shownDefault)} | ${cell(definition.meaning)} |`);
  return lines.join('\n');
}

export function renderConfigurationDoc(): string {
  const entries = Object.entries(VARIABLES) as [string, Variable<unknown>][];
  const sections = SECTIONS.map(({ concern, title, intro }) => section(title, intro, entries.filter(([, d]) => d.concern === concern)));
  return `${INTRO}\n${sections.join('\n\n')}\n`;
}
