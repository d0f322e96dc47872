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
 * Code under construction. Most compilation schemes need the length of a part before they can emit
 * the jump over it, so every compile function returns its part on its own; copying each part into
 * the one around it would cost O(size × nesting depth). A `Code` instead keeps its parts by
 * reference (a rope) and knows its length, and `flatten` writes the whole tree out once at the end:
 * compiling is linear in the size of the output.
 *
 * Source lines ride along as marks: `markLine(code, line)` says "all of `code`, as long as it is
 * now, comes from `line`". A cell takes the line of the innermost mark covering it; `flatten` turns
 * the marks into the line map `[ip0, line0, ip1, line1, …]` in the same single pass.
 *
 * A piece is placed once: after `append` puts it into another piece it is sealed, and changing it
 * (or placing it again) throws, because its parent already counted its length.
 */
export type Cell = Bytecode[number];

/**
 * Units of compile work done so far in this process: a cell or piece placed, a piece written out, a
 * name looked up. Only ever counted, never read by the compiler: it lets tests check that the work
 * grows linearly with the program, which wall-clock time on a busy machine cannot show reliably.
 */
export const compileWork = { units: 0 };

export class Code {
  /** Cells and nested pieces, in order. */
  readonly items: (Cell | Code)[] = [];
  /** Cells in this piece and all nested ones. */
  length = 0;
  /** `[end, line, …]`: marks covering `[0, end)`, oldest (innermost) first. */
  marks: number[] | null = null;
  sealed = false;

  static of(...cells: Cell[]): Code {
    const code = new Code();
    for (const cell of cells) code.items.push(cell);
    code.length = cells.length;
    return code;
  }

  /** Overwrite the cell at `index` of this piece's own items (a jump target found later). */
  patch(index: number, cell: Cell): void {
    if (this.items[index] instanceof Code) throw new Error('patch: not a cell');
    this.items[index] = cell;
  }
}

/** What compile functions take: a piece, or a literal array of cells (copied in). */
export type Piece = Code | Bytecode;

/** Mark all of `code` (as long as it is now) as coming from source line `line`. */
export function markLine(code: Code, line: number): Code {
  if (code.length === 0) return code;
  if (code.sealed) throw new Error('markLine: the code is already placed');
  (code.marks ??= []).push(code.length, line);
  return code;
}

/** Append `parts` to `out`: pieces by reference (sealing them), literal arrays cell by cell. */
export function append(out: Code, ...parts: Piece[]): Code {
  if (out.sealed) throw new Error('append: the code is already placed');
  for (const part of parts) {
    if (part instanceof Code) {
      if (part.sealed || part === out) throw new Error('append: a piece of code can be placed only once');
      part.sealed = true;
      out.items.push(part);
      compileWork.units++;
    } else {
      for (const cell of part) out.items.push(cell);
      compileWork.units += part.length;
    }
    out.length += part.length;
  }
  return out;
}

interface Frame {
  code: Code;
  /** Next item to write. */
  next: number;
  /** Where this piece starts in the output. */
  start: number;
  /** Next candidate mark (an index into `code.marks`). */
  mark: number;
  /** The line covering this whole piece from outside it (0: none). */
  outer: number;
}

/**
 * Write `code` to the end of `out` and return its line map, ips counted in `out`: a pair wherever
 * the line changes; cells no mark covers keep the line before them. One pass, without recursion.
 */
export function flatten(code: Code, out: Bytecode): number[] {
  const table: number[] = [];
  let current = 0;
  const stack: Frame[] = [];
  let frame: Frame | undefined = { code, next: 0, start: out.length, mark: 0, outer: 0 };
  while (frame !== undefined) {
    if (frame.next === frame.code.items.length) {
      frame = stack.pop();
      continue;
    }
    const item = frame.code.items[frame.next++]!;
    compileWork.units++;
    const line = lineAt(frame, out.length - frame.start);
    if (item instanceof Code) {
      stack.push(frame);
      frame = { code: item, next: 0, start: out.length, mark: 0, outer: line };
      continue;
    }
    if (line !== 0 && line !== current) {
      table.push(out.length, line);
      current = line;
    }
    out.push(item);
  }
  return table;
}

/**
 * The line of the cell at `offset` in the frame's piece: its first mark still covering `offset`
 * (marks only grow, and offsets only increase within a piece, so the search never goes back), else
 * the line around the piece. A mark of an outer piece either covers a nested piece whole or not at
 * all, so the line around a nested piece is fixed when it is entered.
 */
function lineAt(frame: Frame, offset: number): number {
  const marks = frame.code.marks;
  if (marks === null) return frame.outer;
  while (frame.mark < marks.length && marks[frame.mark]! <= offset) frame.mark += 2;
  return frame.mark < marks.length ? marks[frame.mark + 1]! : frame.outer;
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled node: ${JSON.stringify(value)}`);
}
