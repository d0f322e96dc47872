// Copies the non-TypeScript files the built code reads at run time (SQL migrations, the built web UI)
// into dist/, next to the compiled modules that load them.
import { cpSync, existsSync } from 'node:fs';

const ASSETS = [
  ['src/store/sqlite/migrations', 'dist/src/store/sqlite/migrations'],
  ['src/store/postgres/migrations', 'dist/src/store/postgres/migrations'],
];

for (const [from, to] of ASSETS) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
