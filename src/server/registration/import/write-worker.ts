// Worker thread (SQLite only): writes an import on its own connection to the database file, so the
// server's connection keeps answering other requests while a large file is written. Rows come
// from the parse worker through `port`; the result or the error goes to the parent.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openDatabase } from '../../db/index.js';
import { messagesOf, toWireError, type WireError } from './messages.js';
import { writeImport, type WriteJob } from './write.js';
import type { ParseMessage, ProgressMessage } from './parse-worker.js';
import type { ScanSetup } from './scan.js';

export type WriteWorkerData = { sqlitePath: string; job: WriteJob; port: MessagePort; setup: ScanSetup | null };
export type WriteWorkerMessage =
  | ProgressMessage
  | { type: 'result'; result: Awaited<ReturnType<typeof writeImport>> }
  | { type: 'error'; error: WireError };

const data = workerData as WriteWorkerData;
const handle = openDatabase({ sqlitePath: data.sqlitePath });
// A larger page cache for the duration of the import (the indexes being written stay in memory).
handle.sqlite!.pragma('cache_size = -32768');
const messages = messagesOf<ParseMessage>(data.port);
const send = (m: WriteWorkerMessage) => parentPort!.postMessage(m);

writeImport(handle.db, handle.sqlite, data.job, messages, () => data.port.postMessage({ type: 'ack' }), (p) => send(p), undefined, data.setup ?? undefined)
  .then(
    (result) => send({ type: 'result', result }),
    (err: unknown) => send({ type: 'error', error: toWireError(err) }),
  )
  .finally(() => {
    data.port.close();
    void handle.destroy();
  });
