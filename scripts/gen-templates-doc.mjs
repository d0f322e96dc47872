// Writes docs/templates.md from the template metadata, reading the *built* registry (run `npm run build`
// first; `npm run gen:docs` does both). With --check, writes nothing and exits 1 when the file is out of date.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const registry = join(root, 'dist/src/templates/index.js');
if (!existsSync(registry)) {
  console.error(`${registry} is missing: run \`npm run build\` first (or \`npm run gen:docs\`, which builds).`);
  process.exit(1);
}
const { TEMPLATES } = await import(registry);
const { renderTemplatesDoc, TEMPLATES_DOC_PATH } = await import(join(root, 'dist/src/templates/docs.js'));

const target = join(root, TEMPLATES_DOC_PATH);
const text = renderTemplatesDoc(TEMPLATES);
const current = existsSync(target) ? readFileSync(target, 'utf8') : null;

if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error(`${TEMPLATES_DOC_PATH} is out of date: run \`npm run gen:docs\`.`);
    process.exit(1);
  }
  console.log(`${TEMPLATES_DOC_PATH} is up to date (${TEMPLATES.length} templates).`);
} else if (current === text) {
  console.log(`${TEMPLATES_DOC_PATH} is already up to date (${TEMPLATES.length} templates).`);
} else {
  writeFileSync(target, text);
  console.log(`Wrote ${TEMPLATES_DOC_PATH} (${TEMPLATES.length} templates).`);
}
