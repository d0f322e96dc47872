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

/** Append `parts` to `out` element by element (no argument-count limit, unlike `push(...x)`). */
export function append(out: Bytecode, ...parts: Bytecode[]): Bytecode {
  for (const part of parts) for (const cell of part) out.push(cell);
  return out;
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled node: ${JSON.stringify(value)}`);
}
