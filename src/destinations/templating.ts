/**
 * Input templating: every string leaf of an input value — inside dictionaries, arrays
 * and JSON too — is a template, free text with `{expr}` holes, compiled once when the destination is
 * saved and evaluated for each invocation.
 *
 *   compileInputs(schema, inputs)      → a compiled tree per input + the dependency order
 *   evaluateInputs(compiled, globals)  → plain values, each input seeing the ones evaluated before it
 *
 * Inputs may read other inputs (`{inputs.hook}`). References are found in the parsed template and the
 * inputs are sorted topologically (ties keep schema order); a cycle is rejected naming its keys. A
 * template that reads the whole `inputs` object sees whichever inputs come before it.
 */
import { compileTemplateSource, parseTemplate, plainGlobalChain, readGlobalChain, type Bytecode } from '../hog/index.js';
import { MAX_EXPRESSION_BYTES, sourceSizeError } from '../hog/source-limits.js';
import type { CompiledValue, InputSchemaItem, Inputs } from './model.js';
import { errorMessage, runWithEngine, type HogRunner } from './run-hog.js';

export interface TemplateError {
  /** The input's key. */
  key: string;
  /** Where inside the value: `inputs.body.value.user.name`, `inputs.tags.value[1]`. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export interface CompiledInputs {
  /** Keys in evaluation order. */
  order: string[];
  values: Record<string, CompiledValue>;
}

export type CompileInputsResult = { ok: true; compiled: CompiledInputs } | { ok: false; errors: TemplateError[] };

// ---------------------------------------------------------------------------------------------
// Paths

const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return PLAIN_KEY.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

// ---------------------------------------------------------------------------------------------
// Compiling one value

/** A string needs the template compiler only if it has a hole or an escape. */
function looksTemplated(text: string): boolean {
  return text.includes('{') || text.includes('\\');
}

interface CompileContext {
  key: string;
  errors: TemplateError[];
  /** Keys of other inputs the templates read. */
  references: Set<string>;
  /** True when some template reads `inputs` as a whole. */
  readsAllInputs: boolean;
}

/** Walk a parsed template and note every `inputs.<key>` / `inputs['<key>']` it reads. */
function collectInputReferences(node: unknown, ctx: CompileContext): void {
  if (Array.isArray(node)) {
    for (const child of node) collectInputReferences(child, ctx);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as { kind?: string; chain?: unknown[]; object?: unknown; property?: unknown };
  if (n.kind === 'Field' && Array.isArray(n.chain) && n.chain[0] === 'inputs') {
    if (typeof n.chain[1] === 'string') ctx.references.add(n.chain[1]);
    else ctx.readsAllInputs = true;
  } else if (n.kind === 'Property') {
    const object = n.object as { kind?: string; chain?: unknown[] } | undefined;
    const property = n.property as { kind?: string; value?: unknown } | undefined;
    if (object?.kind === 'Field' && object.chain?.length === 1 && object.chain[0] === 'inputs') {
      if (property?.kind === 'Constant' && typeof property.value === 'string') ctx.references.add(property.value);
      else ctx.readsAllInputs = true;
      collectInputReferences(n.property, ctx);
      return;
    }
  }
  for (const value of Object.values(n)) {
    if (typeof value === 'object' && value !== null) collectInputReferences(value, ctx);
  }
}

function compileString(text: string, path: string, ctx: CompileContext): CompiledValue {
  if (!looksTemplated(text)) return { kind: 'literal', value: text };
  const tooBig = sourceSizeError(text, MAX_EXPRESSION_BYTES);
  if (tooBig !== null) {
    ctx.errors.push({ key: ctx.key, path, message: tooBig });
    return { kind: 'literal', value: text };
  }
  const { bytecode, diagnostics } = compileTemplateSource(text);
  if (diagnostics.length > 0) {
    for (const d of diagnostics) ctx.errors.push({ key: ctx.key, path, message: d.message, line: d.line, column: d.column });
    return { kind: 'literal', value: text };
  }
  const parsed = parseTemplate(text);
  collectInputReferences(parsed.expr, ctx);
  return { kind: 'template', bytecode };
}

/** Compile every string leaf of `value`; subtrees without templates collapse into one literal. */
function compileValue(value: unknown, path: string, ctx: CompileContext): CompiledValue {
  if (typeof value === 'string') return compileString(value, path, ctx);
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileValue(item, childPath(path, i), ctx));
    return items.every((i) => i.kind === 'literal') ? { kind: 'literal', value } : { kind: 'array', items };
  }
  if (typeof value === 'object' && value !== null) {
    const entries: Record<string, CompiledValue> = {};
    for (const [k, v] of Object.entries(value)) entries[k] = compileValue(v, childPath(path, k), ctx);
    return Object.values(entries).every((e) => e.kind === 'literal') ? { kind: 'literal', value } : { kind: 'dict', entries };
  }
  return { kind: 'literal', value };
}

/** Compile one value as a template tree (also used for mappings and tests). */
export function compileTemplateValue(
  value: unknown,
  options: { key?: string; path?: string } = {},
): { compiled: CompiledValue; errors: TemplateError[]; references: string[] } {
  const key = options.key ?? '';
  const ctx: CompileContext = { key, errors: [], references: new Set(), readsAllInputs: false };
  const compiled = compileValue(value, options.path ?? `inputs.${key}.value`, ctx);
  return { compiled, errors: ctx.errors, references: [...ctx.references] };
}

// ---------------------------------------------------------------------------------------------
// Dependency order

/**
 * Keys in an order where each comes after the inputs it references, ties in `keys` order; or the keys
 * of one cycle.
 */
export function sortByDependencies(
  keys: string[],
  dependsOn: Map<string, Set<string>>,
): { ok: true; order: string[] } | { ok: false; cycle: string[] } {
  const known = new Set(keys);
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];

  const visit = (key: string): string[] | null => {
    const s = state.get(key);
    if (s === 'done') return null;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(key)), key];
    state.set(key, 'visiting');
    stack.push(key);
    for (const dep of dependsOn.get(key) ?? []) {
      if (!known.has(dep) || dep === key) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(key, 'done');
    order.push(key);
    return null;
  };

  for (const key of keys) {
    const cycle = visit(key);
    if (cycle) return { ok: false, cycle };
  }
  return { ok: true, order };
}

// ---------------------------------------------------------------------------------------------
// Compiling all inputs

/**
 * Compile the inputs of a destination (or a mapping). Keys are taken in schema order, then any input
 * the schema does not list. Schema items with `templating: false` keep their value as a literal.
 */
export function compileInputs(schema: InputSchemaItem[], inputs: Inputs, options: { pathPrefix?: string } = {}): CompileInputsResult {
  const prefix = options.pathPrefix ?? 'inputs';
  const schemaKeys = schema.map((s) => s.key);
  const keys = [...schemaKeys.filter((k) => k in inputs), ...Object.keys(inputs).filter((k) => !schemaKeys.includes(k))];
  const templating = new Map(schema.map((s) => [s.key, s.templating !== false]));

  const errors: TemplateError[] = [];
  const values: Record<string, CompiledValue> = {};
  const dependsOn = new Map<string, Set<string>>();
  for (const key of keys) {
    const value = inputs[key]?.value;
    const path = `${prefix}.${key}.value`;
    if (templating.get(key) === false) {
      values[key] = { kind: 'literal', value };
      continue;
    }
    const ctx: CompileContext = { key, errors, references: new Set(), readsAllInputs: false };
    values[key] = compileValue(value, path, ctx);
    dependsOn.set(key, ctx.references);
  }
  if (errors.length > 0) return { ok: false, errors };

  const sorted = sortByDependencies(keys, dependsOn);
  if (!sorted.ok) {
    const first = sorted.cycle[0]!;
    return {
      ok: false,
      errors: [
        {
          key: first,
          path: `${prefix}.${first}`,
          message: `inputs depend on each other in a cycle: ${sorted.cycle.join(' → ')}`,
        },
      ],
    };
  }
  return { ok: true, compiled: { order: sorted.order, values } };
}

/** Rebuild `CompiledInputs` from stored inputs (`{value, bytecode, order}` as validation saved them). */
export function compiledInputsFromStored(inputs: Inputs): CompiledInputs {
  const keys = Object.keys(inputs);
  const order = [...keys].sort((a, b) => (inputs[a]!.order ?? Infinity) - (inputs[b]!.order ?? Infinity));
  const values: Record<string, CompiledValue> = {};
  for (const key of keys) values[key] = inputs[key]!.bytecode ?? { kind: 'literal', value: inputs[key]!.value };
  return { order, values };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export interface EvaluateOptions {
  runner?: HogRunner;
  timeoutMs?: number;
  memoryLimit?: number;
}

export type EvaluateInputsResult =
  | { ok: true; inputs: Record<string, unknown> }
  | { ok: false; error: TemplateError };

class EvaluationFailure extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const readChains = new WeakMap<Bytecode, string[] | null>();

/** Strings longer than this go through the VM, which charges them to its memory limit. */
const MAX_DIRECT_STRING = 64 * 1024;

/** Marks a read `readDirectly` leaves to the VM. */
const TO_THE_VM = Symbol('toTheVm');

/**
 * A plain chain read without starting the VM, with the VM's own reader, when the value it reaches is a
 * scalar: exactly what the VM would give. Anything else — a root that is not there (the VM's error names
 * it), containers to convert, long strings — is left to the VM.
 */
function readDirectly(chain: string[], globals: Record<string, unknown>, inputs: Record<string, unknown>): unknown {
  // The VM sees `{ ...globals, inputs }`: `inputs` is the evaluated inputs whatever the globals hold.
  const scope = chain[0] === 'inputs' ? { inputs } : globals;
  if (!Object.hasOwn(scope, chain[0]!)) return TO_THE_VM;
  const value = readGlobalChain(scope, chain);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string' && value.length <= MAX_DIRECT_STRING) return value;
  return TO_THE_VM;
}

/** What an input's templates are evaluated in: the globals, the inputs evaluated before it, and the VM. */
interface TemplateScope {
  globals: Record<string, unknown>;
  inputs: Record<string, unknown>;
  run: (bytecode: Bytecode) => unknown;
}

function evaluateTemplate(bytecode: Bytecode, path: string, scope: TemplateScope): unknown {
  let chain = readChains.get(bytecode);
  if (chain === undefined) readChains.set(bytecode, (chain = plainGlobalChain(bytecode)));
  if (chain !== null) {
    const value = readDirectly(chain, scope.globals, scope.inputs);
    if (value !== TO_THE_VM) return value;
  }
  try {
    return scope.run(bytecode);
  } catch (error) {
    throw new EvaluationFailure(path, errorMessage(error));
  }
}

function evaluateValue(node: CompiledValue, path: string, scope: TemplateScope): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'template':
      return evaluateTemplate(node.bytecode, path, scope);
    case 'array':
      return node.items.map((item, i) => evaluateValue(item, childPath(path, i), scope));
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node.entries)) out[k] = evaluateValue(v, childPath(path, k), scope);
      return out;
    }
  }
}

/**
 * Evaluate compiled inputs in dependency order. Each template sees `globals` plus `inputs`: the inputs
 * evaluated so far. The first failure stops evaluation and names the input and the path inside it.
 */
export function evaluateInputs(
  compiled: CompiledInputs,
  globals: Record<string, unknown>,
  options: EvaluateOptions = {},
): EvaluateInputsResult {
  const runner = options.runner ?? runWithEngine;
  const inputs: Record<string, unknown> = {};
  for (const key of compiled.order) {
    const node = compiled.values[key];
    if (node === undefined) continue;
    // The VM's globals for this input, made when one of its templates needs the VM.
    let vmGlobals: Record<string, unknown> | undefined;
    const run = (bytecode: Bytecode) =>
      runner(bytecode, { globals: (vmGlobals ??= { ...globals, inputs: { ...inputs } }), timeout: options.timeoutMs, memoryLimit: options.memoryLimit });
    try {
      inputs[key] = evaluateValue(node, `inputs.${key}.value`, { globals, inputs, run });
    } catch (error) {
      if (!(error instanceof EvaluationFailure)) throw error;
      return { ok: false, error: { key, path: error.path, message: `input '${key}' failed at ${error.path}: ${error.message}` } };
    }
  }
  return { ok: true, inputs };
}
