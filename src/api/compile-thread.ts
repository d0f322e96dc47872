/**
 * The compile thread (see `compile-pool.ts`): compiles Hog sources and validates destinations posted
 * by the main thread, one job at a time, and posts each result back. It holds no state between jobs,
 * so the main thread may terminate it at any moment (a job over its deadline) and start another.
 */
import { parentPort } from 'node:worker_threads';
import { validateDestination } from '../destinations/validation.js';
import { findTemplate } from '../templates/index.js';
import { compileSource, type CompileJob, type FromCompileThread, type ToCompileThread } from './compile-pool.js';

const port = parentPort!;

function runJob(job: CompileJob): unknown {
  if (job.type === 'compile') return compileSource(job.kind, job.source);
  return validateDestination(job.body, { existing: job.existing, templates: findTemplate, testAccountFilters: job.testAccountFilters });
}

port.on('message', (message: ToCompileThread) => {
  let reply: FromCompileThread;
  try {
    reply = { id: message.id, ok: true, result: runJob(message.job) };
  } catch (error) {
    reply = { id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});

// The imports above are loaded: from now on the pool's deadline applies.
port.postMessage({ ready: true } satisfies FromCompileThread);
