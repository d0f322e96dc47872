/**
 * Compiling user code off the event loop. The management API compiles Hog whenever a destination is
 * saved, validated or test-run with unsaved code, and on every (debounced) keystroke through
 * `/hog/compile/`. Compiling is linear, but half a megabyte still takes a few hundred ms, and the
 * main thread also serves capture and `/_health`; so anything but a small source is compiled in one
 * compile thread, started on first use, with a deadline after which the thread is terminated and the
 * request gets a clear error.
 *
 * Why a thread rather than compiling in slices on the main thread: the lexer, parser and compiler are
 * plain recursive functions, and slicing them would turn each into a resumable state machine; a thread
 * keeps them simple, can be killed at the deadline whatever it is doing (a slice cannot be interrupted),
 * and has its own heap limit, so a hostile source that needs gigabytes fails alone. One thread is
 * enough: saves are rare, and Sluice's CPUs belong to delivery.
 *
 * Small sources (under `INLINE_COMPILE_BYTES`) compile inline: a few ms, cheaper than a round trip.
 */
import { builtThreadEntry } from '../threads.js';
import { Worker } from 'node:worker_threads';
import type { Destination, PropertyFilterLike } from '../destinations/model.js';
import { validateDestination, type ValidateResult } from '../destinations/validation.js';
import { compileExpressionSource, compileProgramSource, compileTemplateSource, type Diagnostic } from '../hog/index.js';
import { findTemplate } from '../templates/index.js';
import { ApiError } from './errors.js';

/** Below this much code (characters of Hog in the request and the stored destination), compile inline. */
export const INLINE_COMPILE_BYTES = 16 * 1024;

/** How long one job may run in the compile thread before the thread is terminated. */
export const COMPILE_DEADLINE_MS = 5_000;

/** The compile thread's heap: a source that needs more fails alone instead of exhausting the server. */
const THREAD_HEAP_MB = 512;

/** A fresh thread loads the compiler and the template library before its first job; not counted in the deadline. */
const STARTUP_ALLOWANCE_MS = 20_000;

export type CompileKind = 'program' | 'template' | 'expression';

export type CompileJob =
  | { type: 'compile'; kind: CompileKind; source: string }
  | { type: 'validate'; body: unknown; existing?: Destination; testAccountFilters?: PropertyFilterLike[] };

export interface ToCompileThread {
  id: number;
  job: CompileJob;
}

export type FromCompileThread =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string }
  | { ready: true };

const COMPILERS: Record<CompileKind, (source: string) => { diagnostics: Diagnostic[] }> = {
  program: compileProgramSource,
  template: compileTemplateSource,
  expression: compileExpressionSource,
};

/** The diagnostics of `source` compiled as `kind`; a compiler bug becomes a diagnostic at the start. */
export function compileSource(kind: CompileKind, source: string): { diagnostics: Diagnostic[] } {
  try {
    return { diagnostics: COMPILERS[kind](source).diagnostics };
  } catch (error) {
    return { diagnostics: [{ message: error instanceof Error ? error.message : String(error), line: 1, column: 1, offset: 0 }] };
  }
}

/** A job that ran past its deadline; its thread was terminated. */
export class CompileDeadlineError extends Error {
  constructor(deadlineMs: number) {
    super(`compiling took longer than ${deadlineMs} ms and was stopped`);
    this.name = 'CompileDeadlineError';
  }
}

/** A job whose thread ran out of its heap; the thread was replaced. */
export class CompileMemoryError extends Error {
  constructor(heapMb: number) {
    super(`compiling needed more than ${heapMb} MB of memory and was stopped`);
    this.name = 'CompileMemoryError';
  }
}

/** The built thread entry (see `builtThreadEntry`), or null: then compiling runs in this thread. */
function threadEntry(): URL | null {
  return builtThreadEntry(import.meta.url, 'api/compile-thread.js');
}

interface Job {
  id: number;
  job: CompileJob;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/** One compile thread and a queue of jobs, run one at a time. */
export class CompilePool {
  private worker: Worker | null = null;
  private ready = false;
  private running: Job | null = null;
  private queue: Job[] = [];
  private timer: NodeJS.Timeout | null = null;
  private nextId = 1;
  /** Threads started so far (tests: a deadline replaces the thread). */
  threadsStarted = 0;

  constructor(
    readonly entry: URL,
    private readonly deadlineMs = COMPILE_DEADLINE_MS,
  ) {}

  /** Is a job running in the thread now? */
  get busy(): boolean {
    return this.running !== null;
  }

  run<T>(job: CompileJob): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve: resolve as (result: unknown) => void, reject });
      this.startNext();
    });
  }

  /** Reject every job and stop the thread. */
  async close(): Promise<void> {
    const jobs = [...(this.running ? [this.running] : []), ...this.queue];
    this.queue = [];
    this.running = null;
    this.clearTimer();
    for (const job of jobs) job.reject(new Error('the compile thread was closed'));
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private startNext(): void {
    if (this.running !== null || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running = job;
    const worker = this.worker ?? this.startThread();
    this.armTimer(this.ready ? this.deadlineMs : this.deadlineMs + STARTUP_ALLOWANCE_MS);
    worker.postMessage({ id: job.id, job: job.job } satisfies ToCompileThread);
  }

  private startThread(): Worker {
    const worker = new Worker(this.entry, { resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB } });
    this.worker = worker;
    this.ready = false;
    this.threadsStarted++;
    // An idle compile thread must not keep the process alive; a request waiting on it does that.
    worker.unref();
    worker.on('message', (message: FromCompileThread) => this.received(worker, message));
    worker.on('error', (error) => this.lost(worker, describeThreadError(error)));
    worker.on('exit', (code) => this.lost(worker, new Error(`the compile thread stopped (exit code ${code})`)));
    return worker;
  }

  private received(worker: Worker, message: FromCompileThread): void {
    if (worker !== this.worker) return;
    if ('ready' in message) {
      this.ready = true;
      if (this.running !== null) this.armTimer(this.deadlineMs);
      return;
    }
    const job = this.running;
    if (job === null || job.id !== message.id) return;
    this.running = null;
    this.clearTimer();
    if (message.ok) job.resolve(message.result);
    else job.reject(new Error(message.error));
    this.startNext();
  }

  /** The thread failed or exited: its job fails, the next job gets a new thread. */
  private lost(worker: Worker, error: Error): void {
    if (worker !== this.worker) return;
    this.worker = null;
    this.endRunning(error);
  }

  private expired(): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
    this.endRunning(new CompileDeadlineError(this.deadlineMs));
  }

  private endRunning(error: Error): void {
    const job = this.running;
    this.running = null;
    this.clearTimer();
    job?.reject(error);
    this.startNext();
  }

  private armTimer(ms: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => this.expired(), ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

function describeThreadError(error: Error): Error {
  if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new CompileMemoryError(THREAD_HEAP_MB);
  }
  return error;
}

let shared: CompilePool | null | undefined;

/** The process's compile pool, created on first use; null when there is no built thread entry. */
export function compilePool(): CompilePool | null {
  if (shared === undefined) {
    const entry = threadEntry();
    shared = entry === null ? null : new CompilePool(entry);
  }
  return shared;
}

/** Stop the process's compile thread (tests; a server shutting down need not: the thread is unref'd). */
export async function closeCompilePool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

/** Errors of the compile thread as API errors: a deadline or memory limit is the code's fault (400). */
function asApiError(error: unknown, what: string, attr: string | null): unknown {
  if (error instanceof CompileDeadlineError || error instanceof CompileMemoryError) {
    return new ApiError('SLUICE_ERR_API_INVALID_INPUT', `${what}: ${error.message}`, attr);
  }
  return error;
}

/** Diagnostics of one source, as the `/hog/compile/` route returns them. */
export async function compileSourceOffThread(kind: CompileKind, source: string): Promise<{ diagnostics: Diagnostic[] }> {
  const pool = compilePool();
  if (pool === null || source.length < INLINE_COMPILE_BYTES) return compileSource(kind, source);
  try {
    return await pool.run({ type: 'compile', kind, source });
  } catch (error) {
    throw asApiError(error, 'source', 'source');
  }
}

/** `validateDestination` with the template library, in the compile thread unless the code is small. */
export async function validateDestinationOffThread(
  body: unknown,
  options: { existing?: Destination; testAccountFilters?: PropertyFilterLike[] },
): Promise<ValidateResult> {
  const pool = compilePool();
  if (pool === null || codeSize(body, options.existing) < INLINE_COMPILE_BYTES) {
    return validateDestination(body, { ...options, templates: findTemplate });
  }
  try {
    return await pool.run<ValidateResult>({ type: 'validate', body, ...options });
  } catch (error) {
    throw asApiError(error, "compiling the destination's code", null);
  }
}

/**
 * Roughly how much code validating `body` compiles: the characters of every string in it and in the
 * stored destination it updates (compiled `bytecode` excluded), plus the template's code. Stops
 * counting once it reaches the inline limit.
 */
function codeSize(body: unknown, existing: Destination | undefined): number {
  let size = 0;
  const pending: unknown[] = [body, existing];
  const templateId = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).template_id : undefined;
  if (typeof templateId === 'string') size += findTemplate(templateId)?.hog.length ?? 0;
  while (pending.length > 0 && size < INLINE_COMPILE_BYTES) {
    const value = pending.pop();
    size += 1;
    if (typeof value === 'string') size += value.length;
    else if (Array.isArray(value)) pending.push(...value.slice(0, INLINE_COMPILE_BYTES));
    else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (key !== 'bytecode' && key !== 'bytecode_lines') pending.push(child);
      }
    }
  }
  return size;
}
