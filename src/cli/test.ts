/**
 * `sluice test DESTINATION.json`: runs a destination's fixtures through the real runtime (validation,
 * filters, templated inputs, mappings, Hog code) with every fetch intercepted, as the template tests do,
 * and prints one pass/fail line per fixture with the differences. Exit code 0 when all pass, 1 when one
 * fails, 2 when the file cannot be used (missing, not JSON, invalid configuration or fixtures).
 *
 * DESTINATION.json holds a destination configuration as the API takes it (`hog`, `inputs_schema`,
 * `inputs` as `{key: value}` or `{key: {value}}`, `filters`, `masking`, `mappings`, `name`), or a
 * `template_id` to start from a registered template (fields in the file override the template's), plus
 * `fixtures`: a list of TemplateFixture (`{name, event, person?, inputs, responses?, expect}`). With a
 * `template_id` and no `fixtures`, the template's own fixtures run.
 */
import { readFileSync } from 'node:fs';
import { validateDestination, validateInputsSchema, type ValidationError } from '../destinations/validation.js';
import { findTemplate, TEMPLATE_MODULES, TEMPLATES } from '../templates/index.js';
import { runFixture, type DestinationConfig, type FixtureResult } from '../templates/runner.js';
import type { TemplateFixture } from '../templates/types.js';
import { isObject, readFixtures } from './fixture-file.js';

const USAGE = 'Usage: sluice test DESTINATION.json';

/** A problem with the file itself: reported on stderr, exit code 2. */
class TestFileError extends Error {}

type Json = Record<string, unknown>;

/**
 * The offset of the first JSON syntax error in `text` (Node 20's JSON.parse does not always say where).
 * A small recursive scanner: it only needs to agree with JSON.parse on where valid JSON stops being valid.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++;
    for (;;) {
      const ch = text[i];
      if (ch === undefined || ch < ' ') fail();
      if (ch === '"') return void i++;
      if (ch === '\\') {
        i++;
        if (text[i] === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match || match[0] === '-' || match[0] === '') fail();
    i += match![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (offset) {
    if (typeof offset === 'number') return offset;
    throw offset;
  }
  return -1;
}

/** Where a JSON syntax error is, as ` (line L, column C)`. */
function jsonErrorWhere(text: string): string {
  const offset = jsonErrorOffset(text);
  if (offset < 0) return '';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}

function readDestinationFile(path: string): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error));
    throw new TestFileError(`Cannot read '${path}': ${why}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    throw new TestFileError(`'${path}' is not valid JSON${jsonErrorWhere(text)}: ${message}`);
  }
  if (!isObject(value)) throw new TestFileError(`'${path}' must hold a JSON object with the destination and its "fixtures"`);
  return value;
}

const CONFIG_FIELDS = ['name', 'hog', 'inputs_schema', 'inputs', 'filters', 'masking', 'mappings'] as const;

/** The configuration's fields, unchecked: the template's (with `template_id`), overridden by the file's. */
function fieldsFrom(file: Json, path: string): { fields: Json; templateFixtures?: TemplateFixture[] } {
  const merged: Json = {};
  let templateFixtures: TemplateFixture[] | undefined;
  if (file.template_id !== undefined) {
    const id = file.template_id;
    const template = typeof id === 'string' ? findTemplate(id) : undefined;
    if (template === undefined) {
      const known = TEMPLATES.map((t) => t.id).join(', ');
      throw new TestFileError(`${path}: template_id: unknown template ${JSON.stringify(id)}; known templates: ${known}`);
    }
    Object.assign(merged, { name: template.name, hog: template.hog, inputs_schema: template.inputs_schema, filters: template.filters ?? {} });
    if (template.masking !== undefined) merged.masking = template.masking;
    if (template.mappings !== undefined) merged.mappings = template.mappings;
    templateFixtures = TEMPLATE_MODULES.find((m) => m.template.id === template.id)?.fixtures;
  }
  for (const field of CONFIG_FIELDS) {
    if (file[field] !== undefined) merged[field] = file[field];
  }
  if (merged.inputs !== undefined && !isObject(merged.inputs)) {
    throw new TestFileError(`${path}: inputs: must be an object of {key: value} or {key: {value}}`);
  }
  return { fields: merged, ...(templateFixtures ? { templateFixtures } : {}) };
}

/** The fields as the fixture runner takes them, once `validateConfig` found nothing wrong with them. */
function configOf(fields: Json, hog: string, path: string): DestinationConfig {
  const schema = validateInputsSchema(fields.inputs_schema ?? []);
  if (!schema.ok) throw new TestFileError(`${path}: invalid configuration:\n${schema.errors.map((e) => `  ${describeError(e)}`).join('\n')}`);
  return {
    hog,
    ...(typeof fields.name === 'string' ? { name: fields.name } : {}),
    inputs_schema: schema.schema,
    ...(isObject(fields.inputs) ? { inputs: fields.inputs } : {}),
    filters: fields.filters,
    masking: fields.masking,
    mappings: fields.mappings,
  };
}

function checkFixtures(raw: unknown, path: string): TemplateFixture[] {
  const read = readFixtures(raw);
  if (read.ok) return read.fixtures;
  if (!Array.isArray(raw)) throw new TestFileError(`${path}: ${read.problems[0]}`);
  throw new TestFileError(`${path}: invalid fixtures:\n${read.problems.map((p) => `  ${p}`).join('\n')}`);
}

function describeError(e: ValidationError): string {
  return `${e.path || '(file)'}: ${e.message}${e.line !== undefined ? ` (line ${e.line}, column ${e.column})` : ''}`;
}

/**
 * Validate the configuration once, before the fixtures: code, schema, filters, masking, mappings and the
 * inputs it sets. Required inputs it leaves out are not an error here: fixtures may set them.
 */
function validateConfig(fields: Json): ValidationError[] {
  const inputs: Record<string, { value: unknown }> = {};
  for (const [key, value] of Object.entries(isObject(fields.inputs) ? fields.inputs : {})) {
    const wrapped = isObject(value) && 'value' in value && Object.keys(value).length === 1;
    inputs[key] = wrapped ? { value: value.value } : { value };
  }
  const result = validateDestination({ ...fields, name: fields.name ?? 'Destination under test', inputs });
  if (result.ok) return [];
  return result.errors.filter((e) => !(e.message === 'this input is required' && /^inputs\.[^.]+\.value$/.test(e.path)));
}

function report(result: FixtureResult, out: string[]): void {
  out.push(`${result.passed ? 'PASS' : 'FAIL'}  ${result.fixture}`);
  if (result.passed) return;
  for (const problem of result.problems) out.push(`      ${problem.replace(/\n/g, '\n      ')}`);
  const logs = result.run?.logs ?? [];
  if (logs.length > 0) {
    out.push('      logs:');
    for (const log of logs) out.push(`        [${log.level}] ${log.message}`);
  }
}

export async function testCommand(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] === '--help' || args[0] === '-h') {
    process.stderr.write(`${USAGE}\n`);
    return args[0] === '--help' || args[0] === '-h' ? 0 : 2;
  }
  const path = args[0]!;
  try {
    const file = readDestinationFile(path);
    const { fields, templateFixtures } = fieldsFrom(file, path);
    const fixtures = file.fixtures === undefined && templateFixtures ? templateFixtures : checkFixtures(file.fixtures, path);
    const hog = fields.hog;
    if (typeof hog !== 'string') throw new TestFileError(`${path}: hog: a destination needs Hog code (or a template_id)`);
    const errors = validateConfig(fields);
    if (errors.length > 0) {
      throw new TestFileError(`${path}: invalid configuration:\n${errors.map((e) => `  ${describeError(e)}`).join('\n')}`);
    }
    const config = configOf(fields, hog, path);
    if (fixtures.length === 0) throw new TestFileError(`${path}: fixtures: the list is empty, nothing to test`);

    const out: string[] = [];
    let failed = 0;
    for (const fixture of fixtures) {
      const result = await runFixture(config, fixture);
      if (!result.passed) failed++;
      report(result, out);
    }
    out.push('', `${fixtures.length - failed} passed, ${failed} failed (${fixtures.length} fixtures)`);
    process.stdout.write(`${out.join('\n')}\n`);
    return failed === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof TestFileError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
