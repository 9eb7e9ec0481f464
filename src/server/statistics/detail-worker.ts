// Worker thread: writes one person detail table (.xlsx) on its own database connection, so the
// server keeps answering while hundreds of thousands of rows are formatted and compressed. Writes
// to a partial file and renames it when complete; reports progress, then the size and SHA-256.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type DbOptions } from '../db/index.js';
import { applyFilter, liveRegistrations, type RegistrationFilter } from '../registration/store.js';
import { writeDetailXlsx } from '../registration/export.js';

export type DetailWorkerData = { db: DbOptions; file: string; sheets: Array<{ name: string; filter: RegistrationFilter }>; mask: boolean };
export type DetailWorkerMessage = { type: 'total'; rows: number } | { type: 'progress'; rows: number } | { type: 'done'; rows: number; sha256: string; sizeBytes: number } | { type: 'error'; message: string };

const data = workerData as DetailWorkerData;
const send = (m: DetailWorkerMessage) => parentPort!.postMessage(m);
const handle = openDatabase(data.db);

async function run(): Promise<void> {
  let total = 0;
  for (const s of data.sheets) {
    const r = await applyFilter(liveRegistrations(handle.db, s.filter.unitPath), s.filter)
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    total += Number(r.n);
  }
  send({ type: 'total', rows: total });
  const partial = `${data.file}.partial`;
  const out = fs.createWriteStream(partial);
  const closed = new Promise<void>((resolve, reject) => {
    out.on('finish', () => resolve());
    out.on('error', reject);
  });
  let last = 0;
  const rows = await writeDetailXlsx(handle.db, data.sheets, out, {
    mask: data.mask,
    onRows: (n) => {
      if (n - last >= 5000) {
        last = n;
        send({ type: 'progress', rows: n });
      }
    },
  });
  await closed;
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(partial)) hash.update(chunk as Buffer);
  const sizeBytes = fs.statSync(partial).size;
  fs.renameSync(partial, data.file);
  send({ type: 'done', rows, sha256: hash.digest('hex'), sizeBytes });
}

run()
  .catch((err: unknown) => {
    fs.rmSync(`${data.file}.partial`, { force: true });
    send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  })
  .finally(() => void handle.destroy());
