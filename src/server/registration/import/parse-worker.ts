// Worker thread: reads the uploaded file and validates every row (scan.ts), so that the writer —
// the main thread on PostgreSQL, the SQLite write worker — only writes. Messages go to `port`:
//   { type: 'sheet', sheet }            an .xlsx: which sheet is read (first, before any rows)
//   { type: 'columns', columns }        once, when the header is known
//   { type: 'rows', packed, count }     valid rows (see sendRows)
//   { type: 'progress', rows, fraction, final }  rows read so far (after each batch), the fraction of
//                                       the file (a CSV) or worksheet (an .xlsx) they came from, and
//                                       whether it is the end of the file (rows is then the count)
//   { type: 'done', total, rejectedRows, rejects, problemRows }  end of file (rejects: the first
//                                       20,000 reasons; problemRows: their rows as read)
//   { type: 'error', error }            the file is refused (message in Chinese) — nothing to write
// With `validate: false` (an .xlsx, whose reading is the slow part) the rows go out as read and the
// writer validates them, so that reading and validating share the two cores:
//   { type: 'raw', rows, first }        rows of cells, the first one being file row `first`
//   { type: 'end' }                     end of file
// The writer answers each 'rows'/'raw' with 'ack'; at most MAX_IN_FLIGHT batches wait unanswered,
// so memory stays bounded however fast the file is read.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { readRowBatches, type ReadLimits } from './reader.js';
import type { SheetChoice } from './xlsx.js';
import { RowScanner, packRows, type ProblemRows, type ScanSetup, type ScannedRow } from './scan.js';
import { toWireError, type WireError } from './messages.js';

export type ParseWorkerData = { path: string; limits: ReadLimits; setup: ScanSetup; port: MessagePort | null; validate: boolean; sheet?: string };
export type ParseMessage =
  | { type: 'sheet'; sheet: SheetChoice }
  | { type: 'columns'; columns: string[] }
  | { type: 'rows'; packed: string; count: number }
  | { type: 'raw'; rows: string[][]; first: number }
  | { type: 'end' }
  | ProgressMessage
  | { type: 'done'; total: number; rejectedRows: number; rejects: ScanResultReject[]; problemRows: ProblemRows }
  | { type: 'error'; error: WireError };
type ScanResultReject = RowScanner['rejects'][number];
export type ProgressMessage = { type: 'progress'; rows: number; fraction: number | null; final: boolean };

const MAX_IN_FLIGHT = 4;
const BATCH_ROWS = 1000;

const data = workerData as ParseWorkerData;
const port = data.port ?? parentPort!;
let inFlight = 0;
let wake: (() => void) | null = null;
port.on('message', (m: { type: string }) => {
  if (m.type === 'ack') {
    inFlight--;
    wake?.();
    wake = null;
  }
});

const send = (m: ParseMessage) => port.postMessage(m);
/** How far into the file the rows read so far reach (readRowBatches' onBytes). */
let fraction: number | null = null;
const readOpts = {
  sheet: data.sheet,
  onSheet: (sheet: SheetChoice) => send({ type: 'sheet', sheet }),
  onBytes: (read: number, size: number) => (fraction = size > 0 ? Math.min(1, read / size) : null),
};

/** Valid rows go packed (scan.ts packRows), at most MAX_IN_FLIGHT batches unanswered. */
async function sendRows(rows: ScannedRow[]): Promise<void> {
  if (!rows.length) return;
  const packed = packRows(rows);
  await credit();
  send({ type: 'rows', packed, count: rows.length });
}

/** Reports the rows read after each batch (1,000–2,000 rows) and at the end with `final`. */
function progressReporter(): (rows: number, final?: boolean) => void {
  let last = -1;
  return (rows, final = false) => {
    if (!final && rows === last) return;
    send({ type: 'progress', rows, fraction: final ? 1 : fraction, final });
    last = rows;
  };
}

async function credit(): Promise<void> {
  while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((res) => (wake = res));
  inFlight++;
}

/** validate: false — the rows as read; the writer scans them. */
async function forward(): Promise<void> {
  let rowNo = 0;
  const progress = progressReporter();
  for await (const batch of readRowBatches(data.path, data.limits, readOpts)) {
    await credit();
    send({ type: 'raw', rows: batch, first: rowNo + 1 });
    rowNo += batch.length;
    progress(rowNo);
  }
  progress(rowNo, true);
  send({ type: 'end' });
}

async function run(): Promise<void> {
  const scanner = new RowScanner(data.setup);
  let out: ScannedRow[] = [];
  let rowNo = 0;
  let announced = false;
  const progress = progressReporter();
  for await (const batch of readRowBatches(data.path, data.limits, readOpts)) {
    for (const cells of batch) scanner.push(cells, ++rowNo, out);
    if (scanner.ready && !announced) {
      send({ type: 'columns', columns: scanner.columns });
      announced = true;
    }
    if (out.length >= BATCH_ROWS) {
      await sendRows(out);
      out = [];
    }
    progress(rowNo);
  }
  scanner.finish(out);
  if (!announced) send({ type: 'columns', columns: scanner.columns });
  await sendRows(out);
  progress(rowNo, true);
  send({ type: 'done', total: scanner.total, rejectedRows: scanner.rejectedRows, rejects: scanner.rejects, problemRows: scanner.problemRows });
}

(data.validate ? run() : forward()).then(
  () => port.close?.(),
  (err: unknown) => send({ type: 'error', error: toWireError(err, '读取文件失败：') }),
);
