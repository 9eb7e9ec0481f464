// Messages of a MessagePort (or Worker) as an async iterable, in order, ending when the port closes.
import type { MessagePort, Worker } from 'node:worker_threads';

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
