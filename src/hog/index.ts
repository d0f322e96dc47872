/**
 * The Hog language engine's public surface: parse, compile and run Hog. Nothing in `src/hog/`
 * imports from the rest of Sluice, so this folder could be published on its own.
 */
import { type Diagnostic, formatDiagnostic } from './ast.js';
import type { Bytecode } from './bytecode/opcodes.js';
import { compileExpression, compileProgram } from './compiler.js';
import { parseExpression, parseProgram, parseTemplate } from './parser.js';

export * from './ast.js';
export * from './values.js';
export { Op, type Bytecode } from './bytecode/opcodes.js';
export { compileExpression, compileProgram } from './compiler.js';
export { parseExpression, parseProgram, parseTemplate } from './parser.js';
export * from './errors.js';
export { locateError, sourceLineOf, withSourceLine, type SourceLocation } from './source-map.js';
export * from './vm/vm.js';
export { plainGlobalChain, readGlobalChain } from './vm/global-chain.js';
export { jsToHog, hogToJs } from './convert.js';
export { printHogValue, printHogStringOutput } from './stdlib/print.js';
export { isKeywordName } from './tokens.js';

/** Thrown by the `compile*Source` helpers; carries every diagnostic, already formatted in `message`. */
export class HogCompileError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'HogCompileError';
  }
}

export interface CompileResult {
  bytecode: Bytecode;
  diagnostics: Diagnostic[];
  /** Bytecode index → source line, `[ip0, line0, ip1, line1, …]` (see `locateError`); empty on syntax errors. */
  lines: number[];
}

/** Parse and compile a whole program. Syntax errors stop before compilation. */
export function compileProgramSource(source: string): CompileResult {
  const parsed = parseProgram(source);
  if (parsed.diagnostics.length > 0) return { bytecode: [], diagnostics: parsed.diagnostics, lines: [] };
  return compileProgram(parsed.program);
}

/** Parse and compile a single expression (a filter's Hog expression). */
export function compileExpressionSource(source: string): CompileResult {
  const parsed = parseExpression(source);
  if (parsed.diagnostics.length > 0 || parsed.expr === null) return { bytecode: [], diagnostics: parsed.diagnostics, lines: [] };
  return compileExpression(parsed.expr);
}

/** Parse and compile an input template: free text with `{expr}` holes. */
export function compileTemplateSource(text: string): CompileResult {
  const parsed = parseTemplate(text);
  if (parsed.diagnostics.length > 0) return { bytecode: [], diagnostics: parsed.diagnostics, lines: [] };
  return compileExpression(parsed.expr);
}

/** Like `compileProgramSource`, but throws a `HogCompileError` listing every diagnostic. */
export function compileOrThrow(source: string): Bytecode {
  return compileProgramOrThrow(source).bytecode;
}

/** `compileOrThrow` that also returns the line map, for hosts that report runtime errors with lines. */
export function compileProgramOrThrow(source: string): { bytecode: Bytecode; lines: number[] } {
  const { bytecode, diagnostics, lines } = compileProgramSource(source);
  if (diagnostics.length > 0) throw new HogCompileError(diagnostics);
  return { bytecode, lines };
}
