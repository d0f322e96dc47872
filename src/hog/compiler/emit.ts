/** Small shared pieces of the compiler: operator → opcode tables and code-array helpers. */
import type { ArithmeticOp, CompareOp } from '../ast.js';
import { Op, type Bytecode } from '../bytecode/opcodes.js';

export const ARITHMETIC_OPS: Record<ArithmeticOp, number> = {
  '+': Op.PLUS,
  '-': Op.MINUS,
  '*': Op.MULTIPLY,
  '/': Op.DIVIDE,
  '%': Op.MOD,
};

export const COMPARE_OPS: Record<CompareOp, number> = {
  '==': Op.EQ,
  '!=': Op.NOT_EQ,
  '>': Op.GT,
  '>=': Op.GT_EQ,
  '<': Op.LT,
  '<=': Op.LT_EQ,
  like: Op.LIKE,
  ilike: Op.ILIKE,
  'not like': Op.NOT_LIKE,
  'not ilike': Op.NOT_ILIKE,
  in: Op.IN,
  'not in': Op.NOT_IN,
  '=~': Op.REGEX,
  '!~': Op.NOT_REGEX,
  '=~*': Op.IREGEX,
  '!~*': Op.NOT_IREGEX,
  'in cohort': Op.IN_COHORT,
  'not in cohort': Op.NOT_IN_COHORT,
};

/**
 * Source lines of compiled code, kept beside the arrays rather than in them (the bytecode stays
 * PostHog's): for each code array, flat `[start, end, line]` triples, `start`/`end` relative to the
 * array. A node's compile function marks its whole code with its line (`markLine`); `append` carries
 * the marks of each part into `out`, shifted. Inner nodes are marked before the nodes around them, so
 * a mark list is in inner-to-outer order for nested spans; `lineTable` turns it into the line map.
 */
const spans = new WeakMap<Bytecode, number[]>();

/** Mark all of `code` (as long as it is now) as coming from source line `line`. */
export function markLine(code: Bytecode, line: number): Bytecode {
  if (code.length === 0) return code;
  let own = spans.get(code);
  if (own === undefined) spans.set(code, (own = []));
  own.push(0, code.length, line);
  return code;
}

/** Append `parts` to `out` element by element (no argument-count limit, unlike `push(...x)`), with their line marks. */
export function append(out: Bytecode, ...parts: Bytecode[]): Bytecode {
  for (const part of parts) {
    const inner = spans.get(part);
    if (inner !== undefined && part !== out) {
      const shift = out.length;
      let own = spans.get(out);
      if (own === undefined) spans.set(out, (own = []));
      for (let i = 0; i < inner.length; i += 3) own.push(inner[i]! + shift, inner[i + 1]! + shift, inner[i + 2]!);
    }
    for (const cell of part) out.push(cell);
  }
  return out;
}

/**
 * The line map of `code` once it is placed at index `offset` of the final bytecode:
 * `[ip0, line0, ip1, line1, …]`, ips ascending, one pair wherever the line changes. Each cell takes
 * the line of the innermost mark covering it; cells no mark covers keep the line before them.
 */
export function lineTable(code: Bytecode, offset: number): number[] {
  const marks = spans.get(code) ?? [];
  const order: number[] = [];
  for (let i = 0; i < marks.length; i += 3) order.push(i);
  // Outer spans first, so inner ones paint over them: longer first; among equal spans, later-marked
  // (outer) first.
  order.sort((a, b) => marks[b + 1]! - marks[b]! - (marks[a + 1]! - marks[a]!) || b - a);
  const cellLines = new Int32Array(code.length);
  for (const i of order) cellLines.fill(marks[i + 2]!, marks[i]!, Math.min(marks[i + 1]!, code.length));
  const table: number[] = [];
  let current = 0;
  for (let ip = 0; ip < cellLines.length; ip++) {
    const line = cellLines[ip]!;
    if (line !== 0 && line !== current) {
      table.push(ip + offset, line);
      current = line;
    }
  }
  return table;
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled node: ${JSON.stringify(value)}`);
}
