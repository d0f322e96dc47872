import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REGENERATE_COMMAND, renderTemplatesDoc, TEMPLATES_DOC_PATH } from '../docs.js';
import { TEMPLATES } from '../index.js';
import type { TemplateDefinition } from '../types.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HOW = `Regenerate it: \`${REGENERATE_COMMAND}\` (or \`npm run build && node scripts/gen-templates-doc.mjs\`), then commit ${TEMPLATES_DOC_PATH}.`;

describe('docs/templates.md', () => {
  it('is up to date with the template metadata', () => {
    const path = `${ROOT}${TEMPLATES_DOC_PATH}`;
    const expected = renderTemplatesDoc(TEMPLATES);
    const actual = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (actual !== expected) {
      const missing = TEMPLATES.filter((t) => !actual.includes(`\`${t.id}\``)).map((t) => t.id);
      const detail = missing.length > 0 ? ` Templates missing from it: ${missing.join(', ')}.` : '';
      expect.fail(`${TEMPLATES_DOC_PATH} is out of date.${detail} ${HOW}`);
    }
  });

  it('lists every template with its id, category, status, secrets and inputs', () => {
    const text = renderTemplatesDoc(TEMPLATES);
    expect(text.startsWith(`<!-- Generated file — do not edit; run \`${REGENERATE_COMMAND}\``)).toBe(true);
    for (const t of TEMPLATES) {
      expect(text).toContain(`\`${t.id}\``);
      expect(text).toContain(`## ${t.name}`);
      for (const item of t.inputs_schema) expect(text).toContain(`\`${item.key}\``);
    }
  });

  it('keeps table cells on one line and escapes pipes', () => {
    const t: TemplateDefinition = {
      id: 'template-x',
      name: 'X | Y',
      description: 'first line\nsecond | line',
      category: ['Custom'],
      status: 'beta',
      icon_url: '/static/icons/x.svg',
      hog: 'return 1',
      inputs_schema: [{ key: 'token', type: 'string', secret: true, default: 'a|b' }],
    };
    const text = renderTemplatesDoc([t]);
    expect(text).toContain('| [X \\| Y](#template-x) | `template-x` | Custom | beta | `token` | first line second \\| line |');
    expect(text).toContain('| `token` | string | no | yes | `a\\|b` |  |');
  });
});
