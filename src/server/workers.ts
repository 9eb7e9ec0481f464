// Starts a worker thread from a module next to the caller. Built code (dist/*.js) runs as is; in
// development and tests the sources are TypeScript, so the worker first registers the same
// loader (tsx) through ts-worker.mjs.
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorker(moduleUrl: URL, options: WorkerOptions): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  const workerData = { ...(options.workerData as object), __tsModule: moduleUrl.href };
  return new Worker(new URL('./ts-worker.mjs', import.meta.url), { ...options, workerData });
}

/** The URL of a sibling module of `base` (an import.meta.url), with the extension the caller runs with. */
export function siblingModule(base: string, name: string): URL {
  const ext = base.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, base);
}
