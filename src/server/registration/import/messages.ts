// Messages of a MessagePort (or Worker) as an async iterable, in order, ending when the port closes.
import type { MessagePort, Worker } from 'node:worker_threads';
import { AppError } from '../../errors.js';

export function messagesOf<T>(port: MessagePort | Worker): AsyncIterable<T> & { fail(err: unknown): void } {
  const queue: T[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  let error: unknown = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  port.on('message', (m: T) => {
    queue.push(m);
    notify();
  });
  const end = () => {
    ended = true;
    notify();
  };
  port.on('close', end);
  port.on('exit', end);
  port.on('error', (e: unknown) => {
    error = e;
    notify();
  });
  return {
    fail(err: unknown) {
      error = err;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length) {
          yield queue.shift()!;
          continue;
        }
        if (error) throw error instanceof Error ? error : new Error(String(error));
        if (ended) return;
        await new Promise<void>((res) => (wake = res));
      }
    },
  };
}

/** An error as it crosses threads: an AppError keeps its status, code and Chinese message. */
export type WireError = { status: number; code: string; message: string; details?: unknown };

export function toWireError(err: unknown, prefix = ''): WireError {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message, details: err.details };
  return { status: 500, code: 'INTERNAL', message: prefix + (err instanceof Error ? err.message : String(err)) };
}

export function fromWireError(e: WireError): AppError {
  return new AppError(e.status, e.code as never, e.message, e.details);
}
