/**
 * Hog VM benchmark: each program is compiled from Hog source with our compiler, then run on our VM
 * and on `@posthog/hogvm` in the same process, alternating, after a warm-up. Prints the median ms
 * per run for both, the speed-up (theirs / ours) and the geometric mean of the speed-ups.
 *
 * `templates` is the per-event work of a destination's inputs: a set of input templates, each compiled
 * once to its own bytecode, evaluated for one event in dependency order the way the destinations
 * runtime does it (`evaluateInputs`: each template sees the globals plus the inputs evaluated so far).
 */
import { createRequire } from 'node:module';
import type { Bytecode } from '../src/hog/bytecode/opcodes.js';
import { compileProgram } from '../src/hog/compiler.js';
import { compileTemplateSource } from '../src/hog/index.js';
import { parseProgram } from '../src/hog/parser.js';
import { exec, type ExecResult, execSync, resume } from '../src/hog/vm/vm.js';

interface PosthogResult {
  finished: boolean;
  error?: unknown;
  result?: unknown;
  asyncFunctionName?: string;
  state?: { stack: unknown[] };
}
type PosthogExec = (input: unknown, options?: Record<string, unknown>) => PosthogResult;

const require = createRequire(import.meta.url);
const posthog = require('@posthog/hogvm') as { exec: PosthogExec; convertHogToJS: (value: unknown) => unknown };
const posthogExec = posthog.exec;

interface BenchProgram {
  name: string;
  source: string;
  globals?: Record<string, unknown>;
  /** Why @posthog/hogvm's result legitimately differs (a known bug there), if it does. */
  posthogDiffers?: string;
}

const PROGRAMS: BenchProgram[] = [
  {
    name: 'mandelbrot',
    source: `
      let count := 0;
      let y := 0;
      while (y < 40) {
        let x := 0;
        while (x < 60) {
          let cr := x / 30 - 1.5; let ci := y / 20 - 1.0;
          let zr := 0.0; let zi := 0.0; let i := 0;
          while (i < 50 and zr * zr + zi * zi < 4) {
            let t := zr * zr - zi * zi + cr; zi := 2 * zr * zi + ci; zr := t; i := i + 1
          }
          if (i == 50) { count := count + 1 }
          x := x + 1
        }
        y := y + 1
      }
      return count`,
  },
  {
    name: 'fib',
    source: `fun fib(n) { if (n < 2) { return n } return fib(n - 1) + fib(n - 2) } return fib(20)`,
  },
  {
    name: 'strings',
    source: `
      let s := ''; let i := 0;
      while (i < 2000) { s := concat(s, toString(i % 10)); i := i + 1 }
      let parts := splitByString('5', s);
      return length(s) + length(parts)`,
  },
  {
    name: 'dicts-arrays',
    source: `
      let d := {}; let arr := []; let i := 0;
      while (i < 600) {
        d[f'k{i % 100}'] := i;
        arr := arrayPushBack(arr, {'id': i, 'tags': [i, i + 1]});
        i := i + 1
      }
      let total := 0;
      for (let item in arr) { total := total + item.tags[2] }
      for (let k, v in d) { total := total + v }
      return total`,
  },
  {
    name: 'json',
    source: `
      let obj := {'a': [1, 2, 3], 'b': {'c': 'text', 'd': null, 'e': true}, 'f': 1.5};
      let n := 0; let i := 0;
      while (i < 300) { let back := jsonParse(jsonStringify(obj)); n := n + length(back.a); i := i + 1 }
      return n`,
  },
  {
    name: 'closures',
    source: `
      fun makeAdder(n) { return x -> x + n }
      let total := 0; let i := 0;
      while (i < 3000) { let add := makeAdder(i); total := add(total) % 100000; i := i + 1 }
      let mapped := arrayMap(x -> x * 2, range(200));
      return total + length(mapped)`,
    posthogDiffers: 'npm 1.0.71 re-captures the closed upvalue left at the same stack slot, so every adder sees n = 0',
  },
  {
    name: 'destination',
    source: `
      let props := event.properties;
      let payload := {
        'event': event.event,
        'distinct_id': event.distinct_id,
        'email': person.properties.email,
        'properties': {}
      };
      for (let key, value in props) {
        if (not startsWith(key, '$')) { payload.properties[key] := value }
      }
      payload.properties.url := props.$current_url;
      let headers := {'Content-Type': 'application/json', 'Authorization': f'Bearer {inputs.apiKey}'};
      let res := fetch(inputs.url, {'method': 'POST', 'headers': headers, 'body': payload});
      if (res.status >= 400) { throw Error(f'Request failed: {res.status}') }
      return res.status`,
    globals: {
      event: {
        event: 'pageview',
        distinct_id: 'user-1',
        properties: { $current_url: 'https://example.com', $browser: 'Chrome', plan: 'pro', count: 3, tags: ['a', 'b'] },
      },
      person: { properties: { email: 'a@example.com', name: 'A' } },
      inputs: { apiKey: 'secret', url: 'https://api.example.com/track' },
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Templated inputs for one event

/** An input's value: a template string (compiled), a literal, or a dict of those. */
type InputValue = string | number | boolean | { [key: string]: InputValue };

/** Typical inputs of a webhook-like destination, in dependency order (`headers` uses `token`). */
const TEMPLATE_INPUTS: [string, InputValue][] = [
  ['url', 'https://hooks.example.com/ingest?page={event.properties.$current_url}'],
  ['email', '{person.properties.email}'],
  ['message', "{event.event} was triggered by {person.properties.first_name} {person.properties.last_name ?? ''}"],
  ['properties', '{event.properties}'],
  [
    'body',
    {
      event: '{event.event}',
      distinct_id: '{event.distinct_id}',
      user: { email: '{person.properties.email}', name: "{person.properties.name ?? 'anonymous'}" },
      timestamp: '{event.timestamp}',
      source: 'sluice',
    },
  ],
  ['token', 'sk-{lower(event.properties.plan)}-{project.id}'],
  ['headers', { Authorization: 'Bearer {inputs.token}', 'Content-Type': 'application/json' }],
  ['debug', false],
];

const TEMPLATE_GLOBALS: Record<string, unknown> = {
  event: {
    uuid: '0190b3a1-2b3c-7d4e-8f90-a1b2c3d4e5f6',
    event: '$pageview',
    distinct_id: 'user-1',
    timestamp: '2024-05-01T12:00:00.000Z',
    properties: {
      $current_url: 'https://example.com/pricing',
      $browser: 'Chrome',
      $os: 'Mac OS X',
      plan: 'PRO',
      count: 3,
      tags: ['a', 'b'],
    },
  },
  person: {
    id: 'p-1',
    properties: { email: 'max@example.com', first_name: 'Max', last_name: 'the Hedgehog', name: 'Max' },
  },
  project: { id: 7, name: 'Hogwarts' },
  source: { name: 'Webhook', id: 'd-1' },
};

/** The compiled form of an input value: template leaves become bytecode, other leaves stay. */
type CompiledInput = { kind: 'template'; bytecode: Bytecode } | { kind: 'literal'; value: unknown } | { kind: 'dict'; entries: [string, CompiledInput][] };

function compileInput(value: InputValue): CompiledInput {
  if (typeof value === 'string' && value.includes('{')) {
    const compiled = compileTemplateSource(value);
    if (compiled.diagnostics.length > 0) throw new Error(`template ${value}: ${JSON.stringify(compiled.diagnostics)}`);
    return { kind: 'template', bytecode: compiled.bytecode };
  }
  if (typeof value === 'object') return { kind: 'dict', entries: Object.entries(value).map(([k, v]) => [k, compileInput(v)]) };
  return { kind: 'literal', value };
}

type TemplateRunner = (bytecode: Bytecode, globals: Record<string, unknown>) => unknown;

function evaluateInput(input: CompiledInput, globals: Record<string, unknown>, run: TemplateRunner): unknown {
  if (input.kind === 'template') return run(input.bytecode, globals);
  if (input.kind === 'literal') return input.value;
  const out: Record<string, unknown> = {};
  for (const [key, value] of input.entries) out[key] = evaluateInput(value, globals, run);
  return out;
}

/** All inputs for one event, as `evaluateInputs` does it: each sees the globals and the inputs so far. */
function evaluateAll(compiled: [string, CompiledInput][], run: TemplateRunner): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const [key, input] of compiled) {
    const scope = { ...TEMPLATE_GLOBALS, inputs: { ...inputs } };
    inputs[key] = evaluateInput(input, scope, run);
  }
  return inputs;
}

const runTemplateOurs: TemplateRunner = (bytecode, globals) =>
  execSync(bytecode, { globals, timeout: 100, memoryLimit: 64 * 1024 * 1024, print: () => {} });

const runTemplateTheirs: TemplateRunner = (bytecode, globals) => {
  const response = posthogExec(bytecode, { globals, timeout: 100 });
  if (response.error) throw response.error;
  // As PostHog's CDP does with each input's value: its VM returns dicts as Maps.
  return posthog.convertHogToJS(response.result);
};

export function templateBench(): { count: number; ours: () => unknown; theirs: () => unknown } {
  const compiled = TEMPLATE_INPUTS.map(([key, value]): [string, CompiledInput] => [key, compileInput(value)]);
  let count = 0;
  const countTemplates = (input: CompiledInput): void => {
    if (input.kind === 'template') count++;
    else if (input.kind === 'dict') for (const [, v] of input.entries) countTemplates(v);
  };
  for (const [, input] of compiled) countTemplates(input);
  return { count, ours: () => evaluateAll(compiled, runTemplateOurs), theirs: () => evaluateAll(compiled, runTemplateTheirs) };
}

// ---------------------------------------------------------------------------------------------

function compile(source: string): Bytecode {
  const parsed = parseProgram(source);
  if (parsed.diagnostics.length > 0) throw new Error(`parse: ${JSON.stringify(parsed.diagnostics)}`);
  const compiled = compileProgram(parsed.program);
  if (compiled.diagnostics.length > 0) throw new Error(`compile: ${JSON.stringify(compiled.diagnostics)}`);
  return compiled.bytecode;
}

const FETCH_RESPONSE = { status: 200, body: 'ok' };

function runOurs(bytecode: Bytecode, globals: Record<string, unknown>): unknown {
  const options = { globals, asyncFunctions: ['fetch'], print: () => {}, timeout: 60_000 };
  let response: ExecResult = exec(bytecode, options);
  while (!response.finished) response = resume(response.state, FETCH_RESPONSE, options);
  return response.result;
}

function runTheirs(bytecode: Bytecode, globals: Record<string, unknown>): unknown {
  const options = { globals, asyncFunctions: { fetch: () => null }, timeout: 60_000 };
  let response = posthogExec(bytecode, options);
  while (!response.finished) {
    if (response.error) throw response.error;
    response.state!.stack.push(FETCH_RESPONSE);
    response = posthogExec(response.state, options);
  }
  return response.result;
}

/** Print one row; returns the speed-up. */
function report(name: string, ours: number, theirs: number, note = ''): number {
  const ratio = theirs / ours;
  console.log(name.padEnd(14), ours.toFixed(3).padStart(10), theirs.toFixed(3).padStart(11), `${ratio.toFixed(2)}x`.padStart(9) + note);
  return ratio;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => unknown, iterations: number): number {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return (performance.now() - start) / iterations;
}

/** Enough iterations per sample that one sample of our VM takes at least ~10 ms. */
function calibrate(fn: () => unknown): number {
  let iterations = 1;
  while (time(fn, iterations) * iterations < 10 && iterations < 1_000_000) iterations *= 2;
  return iterations;
}

/** Median ms per run for ours and theirs, alternating so machine noise hits both alike. */
function measure(ours: () => unknown, theirs: () => unknown, rounds: number): [number, number] {
  for (let i = 0; i < 3; i++) {
    ours();
    theirs();
  }
  const iterations = calibrate(ours);
  const ourTimes: number[] = [];
  const theirTimes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    ourTimes.push(time(ours, iterations));
    theirTimes.push(time(theirs, iterations));
  }
  return [median(ourTimes), median(theirTimes)];
}

export async function runHogBench(rounds = 11): Promise<void> {
  const ratios: number[] = [];
  console.log('program'.padEnd(14), 'ours ms'.padStart(10), 'posthog ms'.padStart(11), 'speed-up'.padStart(9));
  for (const program of PROGRAMS) {
    const bytecode = compile(program.source);
    const globals = program.globals ?? {};
    const ourResult = JSON.stringify(runOurs(bytecode, globals));
    const theirResult = JSON.stringify(runTheirs(bytecode, globals));
    if (ourResult !== theirResult && program.posthogDiffers === undefined) {
      throw new Error(`${program.name}: results differ (ours ${ourResult}, posthog ${theirResult})`);
    }
    const [ours, theirs] = measure(() => runOurs(bytecode, globals), () => runTheirs(bytecode, globals), rounds);
    const note = ourResult !== theirResult ? `  (results differ: ${program.posthogDiffers})` : '';
    ratios.push(report(program.name, ours, theirs, note));
  }
  const templates = templateBench();
  const ourInputs = JSON.stringify(templates.ours());
  const theirInputs = JSON.stringify(templates.theirs());
  if (ourInputs !== theirInputs) throw new Error(`templates: results differ (ours ${ourInputs}, posthog ${theirInputs})`);
  const [ours, theirs] = measure(templates.ours, templates.theirs, rounds);
  ratios.push(report('templates', ours, theirs, `  (${templates.count} templates, ${TEMPLATE_INPUTS.length} inputs, one event)`));
  const geomean = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
  console.log(`geometric mean speed-up: ${geomean.toFixed(2)}x (slowest program ${Math.min(...ratios).toFixed(2)}x)`);
}
