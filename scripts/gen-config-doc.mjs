// Writes docs/configuration.md from the variable definitions in src/config.ts, reading the *built*
// module (run `npm run build` first; `npm run gen:docs` does both). With --check, writes nothing and exits
// 1 when the page is out of date.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist/src/config-docs.js');
if (!existsSync(built)) {
  console.error(`${built} is missing: run \`npm run build\` first (or \`npm run gen:docs\`, which builds).`);
  process.exit(1);
}
const { renderConfigurationDoc, CONFIGURATION_DOC_PATH } = await import(built);

const target = join(root, CONFIGURATION_DOC_PATH);
const text = renderConfigurationDoc();
const current = existsSync(target) ? readFileSync(target, 'utf8') : null;

if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error(`${CONFIGURATION_DOC_PATH} is out of date: run \`npm run gen:docs\`.`);
    process.exit(1);
  }
  console.log(`${CONFIGURATION_DOC_PATH} is up to date.`);
} else if (current === text) {
  console.log(`${CONFIGURATION_DOC_PATH} is already up to date.`);
} else {
  writeFileSync(target, text);
  console.log(`Wrote ${CONFIGURATION_DOC_PATH}.`);
}
