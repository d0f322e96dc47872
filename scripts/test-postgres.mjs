// `npm run test:postgres`: the backend-neutral part of the suite (API, intake, runtime) again, on Postgres
// (SLUICE_TEST_BACKEND=postgres: every test Sluice gets a fresh schema of the test database). The store
// contract and the scale tests already run on Postgres in the plain `vitest run` when it is reachable.
// Without Postgres it says so and passes, unless CI=true: then Postgres is mandatory. Run after the build.
import { spawnSync } from 'node:child_process';

const FILES = ['src/api', 'test/ingest', 'test/runtime'];
// These start the SQLite CLI in child processes: nothing in them depends on the test backend.
const SQLITE_ONLY = ['test/ingest/durability.test.ts', 'test/runtime/crash.test.ts', 'test/runtime/claim-concurrency.test.ts'];

const { probePostgres } = await import('../dist/src/store/postgres/schemas.js');
const url = process.env.SLUICE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const probe = await probePostgres(url);
if (!probe.ok) {
  const shown = url.replace(/\/\/[^@/]*@/, '//…@');
  if (process.env.CI === 'true') {
    console.error(`Postgres is not reachable at ${shown} (${probe.error}); the Postgres run is mandatory in CI.`);
    process.exit(1);
  }
  console.warn(`\nPostgres tests skipped: Postgres is not reachable at ${shown} (${probe.error}). Set SLUICE_TEST_DATABASE_URL to run them.\n`);
  process.exit(0);
}
const args = ['vitest', 'run', ...FILES, ...SQLITE_ONLY.flatMap((f) => ['--exclude', f])];
const result = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, SLUICE_TEST_BACKEND: 'postgres' } });
process.exit(result.status ?? 1);
