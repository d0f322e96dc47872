/**
 * `sluice hog run|compile|exec`: the Hog engine on the command line. Output of `print` goes to
 * stdout; compile and runtime errors go to stderr with exit code 1, never as a JS stack trace. `run`
 * adds the source line to runtime errors: `Error: <message> (line N)` (`exec` has no source).
 */
import { readFileSync } from 'node:fs';
import {
  type Bytecode,
  HogCompileError,
  HogRuntimeError,
  UncaughtHogError,
  compileProgramOrThrow,
  execAsync,
  printHogValue,
  jsToHog,
  withSourceLine,
} from '../hog/index.js';

interface HogArgs {
  sub: string;
  file: string;
  globals: Record<string, unknown>;
  timeoutMs?: number;
}

function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${what} '${path}': ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} '${path}' is not valid JSON: ${(error as Error).message}`);
  }
}

function parseArgs(args: string[]): HogArgs {
  const [sub, ...rest] = args;
  let file: string | undefined;
  let globals: Record<string, unknown> = {};
  let timeoutMs: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--globals') {
      const value = readJsonFile(rest[++i] ?? '', 'globals file');
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new Error('The globals file must hold a JSON object, e.g. {"event": {...}, "person": {...}}');
      }
      globals = value as Record<string, unknown>;
    } else if (arg === '--timeout') {
      timeoutMs = Number(rest[++i]);
    } else if (file === undefined) {
      file = arg;
    } else {
      throw new Error(`Unexpected argument '${arg}'`);
    }
  }
  if (!sub || !['run', 'compile', 'exec'].includes(sub)) {
    throw new Error('Usage: sluice hog run FILE.hog | compile FILE.hog | exec FILE.hoge [--globals FILE.json]');
  }
  if (!file) throw new Error(`Usage: sluice hog ${sub} FILE`);
  return { sub, file, globals, timeoutMs };
}

function readSource(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read '${path}': ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function loadBytecode(path: string): Bytecode {
  const value = readJsonFile(path, 'bytecode file');
  if (!Array.isArray(value) || (value[0] !== '_H' && value[0] !== '_h')) {
    throw new Error(`'${path}' is not Hog bytecode: expected a JSON array starting with "_H" or "_h"`);
  }
  return value as Bytecode;
}

async function runBytecode(bytecode: Bytecode, args: HogArgs): Promise<void> {
  const lines: string[] = [];
  const flush = () => {
    if (lines.length) process.stdout.write(lines.splice(0).join('\n') + '\n');
  };
  try {
    await execAsync(bytecode, {
      globals: args.globals,
      timeout: args.timeoutMs,
      print: (line: string) => {
        lines.push(line);
        if (lines.length >= 256) flush();
      },
      asyncFunctions: {},
    });
  } finally {
    flush();
  }
}

export async function hogCommand(argv: string[]): Promise<number> {
  let lines: number[] | undefined;
  try {
    const args = parseArgs(argv);
    if (args.sub === 'exec') {
      await runBytecode(loadBytecode(args.file), args);
      return 0;
    }
    const compiled = compileProgramOrThrow(readSource(args.file));
    const bytecode = compiled.bytecode;
    lines = compiled.lines;
    if (args.sub === 'compile') {
      process.stdout.write(JSON.stringify(bytecode) + '\n');
      return 0;
    }
    await runBytecode(bytecode, args);
    return 0;
  } catch (error) {
    process.stderr.write(withSourceLine(describeError(error), error, lines) + '\n');
    return 1;
  }
}

function describeError(error: unknown): string {
  if (error instanceof HogCompileError) return `Syntax error: ${error.message}`;
  if (error instanceof UncaughtHogError) return `Uncaught ${error.toString()}`;
  if (error instanceof HogRuntimeError) return `Error: ${error.message}`;
  if (error instanceof Error) return `Error: ${error.message}`;
  return `Error: ${printHogValue(jsToHog(error))}`;
}
