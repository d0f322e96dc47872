/**
 * The functions Hog can call inside a destination, and the save-time check that finds calls to any
 * other name. A call to a name the VM cannot resolve compiles fine (it becomes `CALL_GLOBAL name`) and
 * fails on every event that reaches it, so validation refuses it up front with its position.
 *
 * Which calls are global is read from the compiled bytecode, not guessed from the syntax tree: the
 * compiler already decided what is a local, a parameter, a closure or a declared function
 * (`let f := x -> x; f(1)` is a local call and never checked). Only when a bad call is found is the
 * source parsed again, to point at its column.
 *
 * What each place may call:
 *   - every place: the standard library (native `STL` and the Hog-written `BYTECODE_STL`);
 *   - the destination's code also: the host functions the executor provides (`HOST_FUNCTIONS`);
 *   - nowhere: `sleep` (the executor refuses async calls other than `fetch`) and `import` (a
 *     destination has no other modules to load).
 */
import { parseExpression, parseProgram, parseTemplate, sourceLineOf, type Bytecode, type Pos } from '../hog/index.js';
import { LEGACY_BYTECODE_MARKER, OPERAND_COUNT, OP_NAMES, Op } from '../hog/bytecode/opcodes.js';
import { ASYNC_STL, BYTECODE_STL, STL } from '../hog/stdlib/index.js';

/**
 * Functions the runtime adds for a destination's code (`InvocationExecutor.execOptions`: `fetch` as the
 * one async function, `postHogCapture` as a host function). Keep the two lists in step.
 */
export const HOST_FUNCTIONS: readonly string[] = ['fetch', 'postHogCapture'];

/** Where a piece of Hog runs, which decides what it may call and how its source is parsed. */
export type HogPlace = 'code' | 'filter' | 'template';

const PLACE_NAMES: Record<HogPlace, string> = {
  code: "the destination's code",
  filter: 'filters',
  template: 'templates',
};

export interface CallProblem {
  name: string;
  message: string;
  line?: number;
  column?: number;
}

/** Why `name` cannot be called in `place`, or null when it can. */
export function callProblem(name: string, place: HogPlace): string | null {
  if (Object.hasOwn(STL, name) || Object.hasOwn(BYTECODE_STL, name)) return null;
  if (HOST_FUNCTIONS.includes(name)) {
    return place === 'code' ? null : `${name}() is only available in the destination's code, not in ${PLACE_NAMES[place]}`;
  }
  if (name === 'import') return 'import() is not available in destinations: there are no other modules to load';
  if (Object.hasOwn(ASYNC_STL, name)) return `${name}() is not available in destinations`;
  const suggestion = closestName(name, place);
  return `unknown function '${name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`;
}

/**
 * The functions `bytecode` calls by global name that `place` cannot call, each name once (its first
 * call), with the line and column of that call in `source`. `lines` is the compiler's line table, when
 * the caller kept it; without it the first call of the name in the source is reported.
 */
export function findCallProblems(bytecode: Bytecode, source: string, place: HogPlace, lines?: readonly number[]): CallProblem[] {
  const problems: CallProblem[] = [];
  const seen = new Set<string>();
  let tree: unknown; // parsed only once a bad call is found: the common case never parses twice
  for (const call of globalCalls(bytecode)) {
    if (seen.has(call.name)) continue;
    seen.add(call.name);
    let message = callProblem(call.name, place);
    if (message === null) continue;
    tree ??= parseFor(source, place);
    if (declares(tree, call.name)) {
      message = `'${call.name}' is called before it is declared: a Hog function can only call functions declared above it`;
    }
    const line = lines && lines.length > 0 ? sourceLineOf(lines, call.ip) : null;
    problems.push({ name: call.name, message, ...positionOfCall(tree, call.name, line) });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Reading the bytecode

function headerLength(bytecode: Bytecode): number {
  if (bytecode[0] === LEGACY_BYTECODE_MARKER) return 1;
  return typeof bytecode[0] === 'string' ? 2 : 0;
}

/** Every `CALL_GLOBAL` in the bytecode, function bodies included (they are inline after CALLABLE). */
function globalCalls(bytecode: Bytecode): { name: string; ip: number }[] {
  const calls: { name: string; ip: number }[] = [];
  let ip = headerLength(bytecode);
  while (ip < bytecode.length) {
    const code = bytecode[ip];
    const name = typeof code === 'number' ? OP_NAMES[code] : undefined;
    // Not an instruction: this is not bytecode our compiler produced, so stop rather than misread operands.
    if (name === undefined) break;
    if (code === Op.CALL_GLOBAL && typeof bytecode[ip + 1] === 'string') calls.push({ name: bytecode[ip + 1] as string, ip });
    const upvalues = bytecode[ip + 1];
    const operands = code === Op.CLOSURE ? 1 + 2 * (typeof upvalues === 'number' ? upvalues : 0) : OPERAND_COUNT[name];
    ip += 1 + operands;
  }
  return calls;
}

// ---------------------------------------------------------------------------------------------
// Positions

function parseFor(source: string, place: HogPlace): unknown {
  if (place === 'code') return parseProgram(source).program;
  if (place === 'filter') return parseExpression(source).expr;
  return parseTemplate(source).expr;
}

/** Nodes of a syntax tree that satisfy `test`, depth first. */
function findNodes(node: unknown, test: (n: { kind?: unknown; name?: unknown; pos?: Pos }) => boolean, out: { pos?: Pos }[] = []): { pos?: Pos }[] {
  if (Array.isArray(node)) {
    for (const child of node) findNodes(child, test, out);
    return out;
  }
  if (typeof node !== 'object' || node === null) return out;
  const n = node as { kind?: unknown; name?: unknown; pos?: Pos };
  if (test(n)) out.push(n);
  for (const value of Object.values(n)) if (typeof value === 'object' && value !== null) findNodes(value, test, out);
  return out;
}

/** Whether the program declares a function or variable `name` somewhere (then the call came too early). */
function declares(tree: unknown, name: string): boolean {
  return findNodes(tree, (n) => (n.kind === 'Function' || n.kind === 'VarDecl') && n.name === name).length > 0;
}

/** The call of `name` on `line` (the first in the source when the line is unknown or has none). */
function positionOfCall(tree: unknown, name: string, line: number | null): { line?: number; column?: number } {
  const positions = findNodes(tree, (n) => n.kind === 'Call' && n.name === name && n.pos !== undefined)
    .map((n) => n.pos!)
    .sort((a, b) => a.offset - b.offset);
  const pos = positions.find((p) => p.line === line) ?? positions[0];
  if (pos !== undefined) return { line: pos.line, column: pos.column };
  return line !== null ? { line } : {};
}

// ---------------------------------------------------------------------------------------------
// Suggestions

function callableNames(place: HogPlace): string[] {
  const names = [...Object.keys(STL), ...Object.keys(BYTECODE_STL)];
  return place === 'code' ? [...names, ...HOST_FUNCTIONS] : names;
}

/** The known function closest to a misspelt one (case ignored; 1 edit for short names, 2 for longer), if any. */
function closestName(name: string, place: HogPlace): string | null {
  if (name.length > 64) return null;
  const wanted = name.toLowerCase();
  let best: string | null = null;
  let bestDistance = name.length <= 4 ? 2 : 3;
  for (const candidate of callableNames(place)) {
    if (Math.abs(candidate.length - name.length) >= bestDistance) continue;
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
