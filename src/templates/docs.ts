/**
 * `docs/templates.md`, generated from the template metadata: one table of every template, then each
 * template's inputs. `scripts/gen-templates-doc.mjs` writes it (from the built registry) and
 * `__tests__/docs.test.ts` fails when the committed file differs, so both use this one function.
 */
import type { InputSchemaItem } from '../destinations/model.js';
import { TEMPLATE_CATEGORIES, type TemplateDefinition } from './types.js';

export const TEMPLATES_DOC_PATH = 'docs/templates.md';
export const REGENERATE_COMMAND = 'npm run gen:docs';

/** Text safe inside a Markdown table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
}

/** A value as inline code, with a fence long enough for any backticks it holds. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function defaultText(item: InputSchemaItem): string {
  if (item.default === undefined || item.default === null || item.default === '') return '';
  return code(typeof item.default === 'string' ? item.default : JSON.stringify(item.default));
}

function inputType(item: InputSchemaItem): string {
  if (item.type === 'choice' && item.choices) return `choice (${item.choices.map((c) => c.value).join(', ')})`;
  return item.type;
}

function categoryRank(t: TemplateDefinition): number {
  const first = t.category[0];
  const rank = first === undefined ? -1 : TEMPLATE_CATEGORIES.indexOf(first);
  return rank < 0 ? TEMPLATE_CATEGORIES.length : rank;
}

/** Templates in a stable order: by first category (as `TEMPLATE_CATEGORIES` lists them), then name, then id. */
export function sortTemplates(templates: readonly TemplateDefinition[]): TemplateDefinition[] {
  return [...templates].sort(
    (a, b) => categoryRank(a) - categoryRank(b) || a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id, 'en'),
  );
}

function anchor(t: TemplateDefinition): string {
  return t.id.toLowerCase().replace(/[^a-z0-9-]/g, '');
}

/** The whole `docs/templates.md` text. */
export function renderTemplatesDoc(templates: readonly TemplateDefinition[]): string {
  const sorted = sortTemplates(templates);
  const lines: string[] = [
    `<!-- Generated file — do not edit; run \`${REGENERATE_COMMAND}\`. Source: the template definitions in src/templates/. -->`,
    '',
    '# Destination templates',
    '',
    `> Generated file — do not edit; run \`${REGENERATE_COMMAND}\`.`,
    '',
    `${sorted.length} templates. Secrets are encrypted at rest, never returned by the API and redacted from logs.`,
    '',
    '| Name | ID | Category | Status | Secrets | Description |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const t of sorted) {
    const secrets = t.inputs_schema.filter((i) => i.secret).map((i) => code(i.key));
    lines.push(
      `| [${cell(t.name)}](#${anchor(t)}) | ${code(t.id)} | ${cell(t.category.join(', '))} | ${t.status} | ${secrets.join(', ') || '—'} | ${cell(t.description)} |`,
    );
  }
  for (const t of sorted) {
    lines.push('', `## ${t.name}`, '', `<a id="${anchor(t)}"></a>${code(t.id)} · ${cell(t.category.join(', '))} · ${t.status}`, '', cell(t.description), '');
    const events = (t.filters?.events ?? []).map((e) => (e.id === null ? 'any event' : code(e.id)));
    lines.push(`Default filters: ${events.length > 0 ? events.join(', ') : 'none (every event)'}.`, '');
    if (t.inputs_schema.length === 0) {
      lines.push('No inputs.');
      continue;
    }
    lines.push('| Input | Type | Required | Secret | Default | Description |', '| --- | --- | --- | --- | --- | --- |');
    for (const item of t.inputs_schema) {
      const description = [item.label, item.description].filter((s): s is string => !!s && s !== '');
      lines.push(
        `| ${code(item.key)} | ${cell(inputType(item))} | ${item.required ? 'yes' : 'no'} | ${item.secret ? 'yes' : 'no'} | ${cell(defaultText(item))} | ${cell(description.join(': '))} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
