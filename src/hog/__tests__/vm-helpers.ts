/**
 * Helpers for VM tests: a tiny bytecode assembler for hand-written programs, and a runner for
 * `@posthog/hogvm` so the same bytecode can be checked on both VMs.
 */
import { createRequire } from 'node:module';
import { Op } from '../bytecode/opcodes.js';
import { likeMatch, regexMatch } from '../stdlib/regex.js';

type Cell = string | number | boolean | null;

export const H = (...code: Cell[]): Cell[] => ['_H', 1, ...code];
export const int = (n: number): Cell[] => [Op.INTEGER, n];
export const str = (s: string): Cell[] => [Op.STRING, s];
export const local = (i: number): Cell[] => [Op.GET_LOCAL, i];
export const call = (name: string, argc: number): Cell[] => [Op.CALL_GLOBAL, name, argc];
export const global = (...chain: string[]): Cell[] => [...[...chain].reverse().flatMap(str), Op.GET_GLOBAL, chain.length];
export const print = (...args: Cell[][]): Cell[] => [...args.flat(), Op.CALL_GLOBAL, 'print', args.length, Op.POP];

/** `CALLABLE name argc upvalueCount len <body>`. */
export const fn = (name: string, argc: number, upvalueCount: number, body: Cell[]): Cell[] => [
  Op.CALLABLE,
  name,
  argc,
  upvalueCount,
  body.length,
  ...body,
];

/** `CLOSURE n (isLocal index)*`. */
export const closure = (...pairs: [boolean, number][]): Cell[] => [Op.CLOSURE, pairs.length, ...pairs.flat()];

export const ifElse = (cond: Cell[], then: Cell[], otherwise: Cell[]): Cell[] => [
  ...cond,
  Op.JUMP_IF_FALSE,
  then.length + 2,
  ...then,
  Op.JUMP,
  otherwise.length,
  ...otherwise,
];

export const whileLoop = (cond: Cell[], body: Cell[]): Cell[] => [
  ...cond,
  Op.JUMP_IF_FALSE,
  body.length + 2,
  ...body,
  Op.JUMP,
  -(cond.length + 2 + body.length + 2),
];

/** `try { body } catch (e) { handler }` as the compiler emits it, error in a hidden local. */
export const tryCatch = (body: Cell[], handler: Cell[]): Cell[] => [
  Op.TRY,
  body.length + 4,
  ...body,
  Op.POP_TRY,
  Op.JUMP,
  handler.length + 1,
  ...handler,
  Op.POP,
];

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const posthog = require('@posthog/hogvm') as {
  exec: (bytecode: unknown, options?: Record<string, unknown>) => {
    result: unknown;
    finished: boolean;
    error?: unknown;
    asyncFunctionName?: string;
    asyncFunctionArgs?: unknown[];
    state?: unknown;
  };
};

export interface PosthogRun {
  result?: unknown;
  error?: string;
  lines: string[];
}

/** Run bytecode on `@posthog/hogvm`, capturing printed lines (its `print` uses console.log). */
export function runPosthog(bytecode: unknown, options: Record<string, unknown> = {}): PosthogRun {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  try {
    const response = posthog.exec(bytecode, {
      external: { regex: { match: (re: string, value: string) => regexMatch(re, value) } },
      ...options,
    });
    if (response.error) return { error: (response.error as Error).message, lines };
    return { result: convertPosthogResult(response.result), lines };
  } finally {
    console.log = original;
  }
}

export const posthogExec = posthog.exec;

/** PostHog returns raw Hog values (Maps); compare in plain JS form. */
function convertPosthogResult(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), convertPosthogResult(v)]));
  if (Array.isArray(value)) return value.map(convertPosthogResult);
  return value;
}

void likeMatch;
