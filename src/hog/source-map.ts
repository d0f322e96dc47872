/**
 * Source lines for runtime errors. PostHog's bytecode has no line table, so the compiler returns one
 * beside it (`CompileOutput.lines`: `[ip0, line0, ip1, line1, …]`, ips ascending) and the host keeps
 * it with the bytecode. The VM records where each frame was when an error ended the run
 * (`HogRuntimeError.hogStack`, `chunk@ip`, innermost first); `locateError` maps the innermost frame
 * in the program's own `root` chunk to its source line.
 */
import { HogRuntimeError } from './errors.js';

export interface SourceLocation {
  line: number;
  column?: number;
}

/** The source line of the instruction at `ip`, or null when `lines` has no entry at or before it. */
export function sourceLineOf(lines: readonly number[], ip: number): number | null {
  // Binary search over the pairs for the last ip <= `ip`.
  let lo = 0;
  let hi = (lines.length >> 1) - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid * 2]! <= ip) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? null : lines[found * 2 + 1]!;
}

/**
 * Where in the program's source `error` happened: the innermost `root`-chunk frame of its Hog stack.
 * When that frame is a caller (the error happened inside a bytecode STL function or an imported
 * chunk), its recorded ip is the return position, so the call itself is one cell before it. Null
 * when the error did not come from running the root chunk (or `lines` is empty).
 */
export function locateError(error: unknown, lines: readonly number[] | undefined | null): SourceLocation | null {
  if (!(error instanceof HogRuntimeError) || !lines || lines.length === 0) return null;
  const stack = error.hogStack;
  for (let i = 0; i < stack.length; i++) {
    const entry = stack[i]!;
    const at = entry.lastIndexOf('@');
    if (entry.slice(0, at) !== 'root') continue;
    const ip = Number(entry.slice(at + 1));
    if (!Number.isInteger(ip) || ip < 0) return null;
    const line = sourceLineOf(lines, i === 0 ? ip : ip - 1);
    return line === null ? null : { line };
  }
  return null;
}

/** `message (line N)` when `error` can be located in `lines`, else `message` unchanged. */
export function withSourceLine(message: string, error: unknown, lines: readonly number[] | undefined | null): string {
  const location = locateError(error, lines);
  return location === null ? message : `${message} (line ${location.line})`;
}
