/**
 * Property: every conversion out of the VM, applied to a random value that shares references,
 * either gives output that fits the run's memory budget or fails with a limit error, within the
 * run's deadline. Values are random DAGs built by Hog code (each node may reuse any earlier node as
 * a child, so sizes can double at every level). When a conversion succeeds, its JSON forms are also
 * checked against `JSON.stringify` of the same value built in JS.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileProgramSource } from '../index.js';
import { HogVMError, UncaughtHogError } from '../errors.js';
import { escapeString } from '../stdlib/print.js';
import { exec, type ExecOptions } from '../vm/vm.js';

const MEMORY_LIMIT = 1_000_000;
const TIMEOUT_MS = 2000;
/** Far above the deadline: this proves "stops at the deadline", not speed, on a loaded machine. */
const WALL_CLOCK_MS = 15_000;
const LIMIT_ERROR = /^(Memory limit of 1000000 bytes exceeded\. Tried to allocate \d+ bytes\.|Execution timed out after 2 seconds\.)/;

type NodeSpec =
  | { kind: 'string'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'array' | 'tuple'; children: number[] }
  | { kind: 'dict'; entries: [string, number][] };

/** A child: -1 for the node just before (two times in three), else any earlier node. */
const childIndex = fc.oneof({ weight: 2, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat({ max: 1000 }) });
const nodeSpec: fc.Arbitrary<NodeSpec> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('string' as const), text: fc.string({ maxLength: 40, unit: 'binary' }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('number' as const),
      value: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e25, max: 1e25 })),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('array' as const, 'tuple' as const), children: fc.array(childIndex, { maxLength: 4 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('dict' as const),
      entries: fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('1', '20', '__proto__', 'a')), childIndex), { maxLength: 4 }),
    }),
  },
);
/** A container that reuses the node before it two or three times: each one doubles the size or more. */
const doublingSpec: fc.Arbitrary<NodeSpec> = fc
  .record({ kind: fc.constantFrom('array' as const, 'tuple' as const, 'dict' as const), copies: fc.integer({ min: 2, max: 3 }), extra: childIndex })
  .map(({ kind, copies, extra }): NodeSpec => {
    const children = [...Array<number>(copies).fill(-1), extra];
    return kind === 'dict' ? { kind, entries: children.map((c, n) => [`k${n}`, c]) } : { kind, children };
  });
/**
 * Random nodes, then up to 24 doublings: expanded sizes from bytes to gigabytes. `cyclic` makes the
 * value (when it is a dict) contain itself, which walks print as null and early sizing leaves to them.
 */
const dagSpec = fc.record({
  nodes: fc
    .tuple(fc.array(nodeSpec, { minLength: 1, maxLength: 12 }), fc.array(doublingSpec, { maxLength: 24, size: 'max' }))
    .map(([nodes, doublings]) => [...nodes, ...doublings]),
  cyclic: fc.boolean(),
});
type Dag = { nodes: NodeSpec[]; cyclic: boolean };

/** Hog source that builds the DAG in locals `n0`, `n1`, …; the value under test is the last one. */
function buildSource({ nodes, cyclic }: Dag): string {
  const lines = nodes.map((node, i) => `let n${i} := ${nodeExpression(node, i)};`);
  const last = `n${nodes.length - 1}`;
  if (cyclic) lines.push(`if (typeof(${last}) == 'object') { ${last}['self'] := ${last} }`);
  return lines.join('\n');
}

function isCyclic({ nodes, cyclic }: Dag): boolean {
  return cyclic && nodes[nodes.length - 1]!.kind === 'dict';
}

/**
 * The node a child index of node `i` points at. Most point at the node just before, so chains of
 * containers that reuse their predecessor (and double in size) are common.
 */
function childOf(i: number, child: number): number {
  return child < 0 ? i - 1 : child % i;
}

function ref(i: number, child: number): string {
  return `n${childOf(i, child)}`;
}

function nodeExpression(node: NodeSpec, i: number): string {
  switch (node.kind) {
    case 'string':
      return escapeString(node.text);
    case 'number':
      return Number.isInteger(node.value) || !String(node.value).includes('e') ? `(${node.value})` : `(${node.value.toFixed(6)})`;
    case 'array':
      return i === 0 ? '[]' : `[${node.children.map((c) => ref(i, c)).join(', ')}]`;
    case 'tuple':
      return i === 0 ? 'tuple()' : `tuple(${node.children.map((c) => ref(i, c)).join(', ')})`;
    case 'dict':
      return i === 0 ? '{}' : `{${node.entries.map(([k, c]) => `${escapeString(k)}: ${ref(i, c)}`).join(', ')}}`;
  }
}

/** The same value as plain JS (dicts as objects, assigned in order), built only after a success. */
function plainValue(nodes: NodeSpec[]): unknown {
  const built: unknown[] = [];
  nodes.forEach((node, i) => {
    switch (node.kind) {
      case 'string':
        built.push(node.text);
        break;
      case 'number':
        built.push(Number(nodeExpression(node, i).slice(1, -1)));
        break;
      case 'array':
      case 'tuple':
        built.push(i === 0 ? [] : node.children.map((c) => built[childOf(i, c)]));
        break;
      case 'dict': {
        const obj: Record<string, unknown> = {};
        if (i > 0) for (const [k, c] of node.entries) obj[k] = built[childOf(i, c)];
        built.push(obj);
        break;
      }
    }
  });
  return built[built.length - 1];
}

/** What the VM's accounting charges for a plain JS value: 8 per value, plus each string's length. */
function accountedSize(value: unknown): number {
  if (typeof value === 'string') return 8 + value.length;
  if (Array.isArray(value)) return value.reduce<number>((total, item) => total + accountedSize(item), 8);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).reduce<number>((total, [k, v]) => total + 8 + k.length + accountedSize(v), 8);
  }
  return 8;
}

interface Sink {
  name: string;
  code: (x: string) => string;
  options?: ExecOptions;
  /** Check a successful run; `json` gives the expected compact JSON of the value, null for a cycle. */
  check: (outcome: Outcome, json: () => string | null) => void;
}

interface Outcome {
  result?: unknown;
  lines: string[];
  hostArgs: unknown[];
  suspended?: { args: unknown[]; stateJson: string };
  uncaught?: UncaughtHogError;
}

function fitsAsText(text: unknown): void {
  expect(typeof text).toBe('string');
  expect((text as string).length).toBeLessThanOrEqual(MEMORY_LIMIT);
}

const SINKS: Sink[] = [
  {
    name: 'jsonStringify',
    code: (x) => `return jsonStringify(${x})`,
    check: (o, json) => {
      fitsAsText(o.result);
      if (json() !== null) expect(o.result).toBe(json());
    },
  },
  {
    name: 'jsonStringify with an indent',
    code: (x) => `return jsonStringify(${x}, 2)`,
    check: (o, json) => {
      fitsAsText(o.result);
      if (json() !== null) expect(o.result).toBe(JSON.stringify(JSON.parse(json()!), null, 2));
    },
  },
  { name: 'print', code: (x) => `print(${x})`, check: (o) => fitsAsText(o.lines.join('\n')) },
  { name: 'toString', code: (x) => `return toString(${x})`, check: (o) => fitsAsText(o.result) },
  { name: 'f-string', code: (x) => `return f'<{${x}}>'`, check: (o) => fitsAsText(o.result) },
  { name: 'arrayStringConcat', code: (x) => `return arrayStringConcat([${x}, ${x}], '|')`, check: (o) => fitsAsText(o.result) },
  { name: 'Error message', code: (x) => `return Error(${x}).message`, check: (o) => fitsAsText(o.result) },
  { name: 'like and in', code: (x) => `return [${x} like '%zz%', ${x} in 'zzz', ${x} =~ 'z']`, check: (o) => expect(o.result).toHaveLength(3) },
  { name: 'arithmetic and comparison', code: (x) => `return [${x} + 1, ${x} > 'm']`, check: (o) => expect(o.result).toHaveLength(2) },
  {
    name: 'result',
    code: (x) => `return ${x}`,
    check: (o, json) => {
      expect(accountedSize(o.result)).toBeLessThanOrEqual(MEMORY_LIMIT);
      if (json() !== null) expect(JSON.stringify(o.result)).toBe(json());
    },
  },
  {
    name: 'host function argument',
    code: (x) => `return hostFn(${x})`,
    check: (o, json) => {
      expect(accountedSize(o.hostArgs[0])).toBeLessThanOrEqual(MEMORY_LIMIT);
      if (json() !== null) expect(JSON.stringify(o.hostArgs[0])).toBe(json());
    },
  },
  {
    name: 'async argument and suspension state',
    code: (x) => `let r := fetch(${x}); return r`,
    options: { asyncFunctions: ['fetch'] },
    check: (o, json) => {
      expect(o.suspended).toBeDefined();
      expect(accountedSize(o.suspended!.args[0])).toBeLessThanOrEqual(MEMORY_LIMIT);
      if (json() !== null) expect(JSON.stringify(o.suspended!.args[0])).toBe(json());
      // The state holds every local (the whole DAG, expanded): it must fit too.
      expect(accountedSize(JSON.parse(o.suspended!.stateJson).stack)).toBeLessThanOrEqual(MEMORY_LIMIT);
    },
  },
  {
    name: 'uncaught throw payload',
    code: (x) => `throw Error('e', {'p': ${x}})`,
    check: (o) => {
      expect(o.uncaught).toBeInstanceOf(UncaughtHogError);
      expect(o.uncaught!.message).toBe('e');
    },
  },
];

function runSink(sink: Sink, dag: Dag): { outcome?: Outcome; error?: unknown } {
  const compiled = compileProgramSource(`${buildSource(dag)}\n${sink.code(`n${dag.nodes.length - 1}`)}`);
  expect(compiled.diagnostics).toEqual([]);
  const outcome: Outcome = { lines: [], hostArgs: [] };
  try {
    const response = exec(compiled.bytecode, {
      memoryLimit: MEMORY_LIMIT,
      timeout: TIMEOUT_MS,
      print: (line) => outcome.lines.push(line),
      functions: { hostFn: (arg: unknown) => (outcome.hostArgs.push(arg), 1) },
      ...sink.options,
    });
    if (response.finished) outcome.result = response.result;
    else outcome.suspended = { args: response.asyncFunctionArgs, stateJson: JSON.stringify(response.state) };
    return { outcome };
  } catch (error) {
    if (error instanceof UncaughtHogError) return { outcome: { ...outcome, uncaught: error } };
    return { error };
  }
}

describe('conversions out of the VM on values that share references', () => {
  test('each either fits the memory budget or fails with a limit error, within the deadline', () => {
    const seen = { fits: 0, limited: 0 };
    fc.assert(
      fc.property(dagSpec, fc.constantFrom(...SINKS), (dag, sink) => {
        const started = performance.now();
        const { outcome, error } = runSink(sink, dag);
        expect(performance.now() - started).toBeLessThan(WALL_CLOCK_MS);
        if (error !== undefined) {
          expect(error).toBeInstanceOf(HogVMError);
          expect((error as Error).message).toMatch(LIMIT_ERROR);
          seen.limited++;
          return;
        }
        sink.check(outcome!, () => (isCyclic(dag) ? null : JSON.stringify(plainValue(dag.nodes))));
        seen.fits++;
      }),
      { numRuns: 200 },
    );
    // Both outcomes must have been exercised, or the property says little.
    expect(seen.fits).toBeGreaterThan(0);
    expect(seen.limited).toBeGreaterThan(0);
  });
});
