// Uploading the outbox: pending records in batches to POST /api/field/uploads (each with its
// client id, so a batch resent after a lost answer creates nothing twice), then each record's
// photo. Stops at the first network failure or expired session and leaves every unsent record
// pending; one upload runs at a time.
import { MAX_UPLOAD_ITEMS, type FieldUploadItem, type FieldUploadResult } from '../../../shared/api-field';
import { api, ApiError, errorMessage } from '../../api/client';
import { recordOf } from '../../registration/registrationForm';
import { allOutbox, type OutboxItem, type PhoneDb } from './db';
import type { FieldUploadResponse } from './types';

/** Records per request: small enough to show progress and lose little to a dropped connection. */
export const UPLOAD_BATCH = Math.min(100, MAX_UPLOAD_ITEMS);

/** Records settled of those pending when the run began, and the time since it began (this phone's clock, monotonic). */
export type SyncProgress = { done: number; total: number; elapsedMs: number };
export type SyncOutcome = {
  /** Records sent and settled in this run, by how they ended. */
  uploaded: number;
  conflicts: number;
  rejected: number;
  /** Why the run stopped early (records not reached stay pending). */
  stopped?: 'offline' | 'unauthenticated' | 'error' | undefined;
  message?: string | undefined;
};

export function toUploadItem(item: OutboxItem): FieldUploadItem {
  if (item.registrationId !== undefined && item.baseVersion !== undefined) {
    return { clientId: item.clientId, orgUnitId: item.orgUnitId, record: item.changes ?? {}, registrationId: item.registrationId, baseVersion: item.baseVersion };
  }
  return { clientId: item.clientId, orgUnitId: item.orgUnitId, record: recordOf(item.values), ...(item.confirmDuplicate ? { confirmDuplicate: true } : {}) };
}

const written = (r: FieldUploadResult) => r.outcome === 'created' || r.outcome === 'updated' || r.outcome === 'replayed';

/** The item after the server's answer about it. */
export function settle(item: OutboxItem, r: FieldUploadResult, at: string): OutboxItem {
  const next: OutboxItem = { ...item, result: r, updatedAt: at, attempts: item.attempts + 1, lastError: undefined };
  if (written(r)) next.state = item.photo && !item.photoUploaded ? 'pending' : 'uploaded';
  else next.state = r.outcome === 'conflict' ? 'conflict' : 'rejected';
  return next;
}

function stopOf(err: unknown): Pick<SyncOutcome, 'stopped' | 'message'> {
  if (err instanceof ApiError && err.code === 'NETWORK') return { stopped: 'offline', message: '网络不通，记录保留在本机，网络恢复后自动上传' };
  if (err instanceof ApiError && err.status === 401) return { stopped: 'unauthenticated', message: '登录已失效，请重新登录后上传（记录保留在本机）' };
  return { stopped: 'error', message: errorMessage(err) };
}

async function sendBatch(items: readonly OutboxItem[]): Promise<FieldUploadResult[]> {
  try {
    const res = await api.post<FieldUploadResponse>('/api/field/uploads', { items: items.map(toUploadItem) }, { noAuthRedirect: true });
    return res.results;
  } catch (err) {
    // One malformed record fails the whole request's validation: send them one by one so that only it is refused.
    if (err instanceof ApiError && err.status === 400 && items.length > 1) {
      const out: FieldUploadResult[] = [];
      for (const i of items) out.push(...(await sendBatch([i])));
      return out;
    }
    if (err instanceof ApiError && err.status === 400) return [{ clientId: items[0]!.clientId, outcome: 'rejected', message: err.message }];
    throw err;
  }
}

async function uploadPhoto(db: PhoneDb, item: OutboxItem): Promise<OutboxItem> {
  const at = new Date().toISOString();
  try {
    await api.putBlob(`/api/field/uploads/${item.clientId}/photo`, item.photo!, { noAuthRedirect: true });
    // Once on the server the photo (it shows the full ID number) is not kept on the phone.
    const next: OutboxItem = { ...item, photo: undefined, photoUploaded: true, state: 'uploaded', updatedAt: at, lastError: undefined };
    await db.put('outbox', next);
    return next;
  } catch (err) {
    if (err instanceof ApiError && (err.code === 'NETWORK' || err.status === 401 || err.status >= 500)) throw err;
    // The server refused the photo itself (type, size): the record stays uploaded, the reason shows.
    const next: OutboxItem = { ...item, state: 'uploaded', updatedAt: at, lastError: `照片未能上传：${errorMessage(err)}` };
    await db.put('outbox', next);
    return next;
  }
}

let running: Promise<SyncOutcome> | null = null;

/** Uploads every pending record (one run at a time: a second call joins the first). */
export function syncOutbox(db: PhoneDb, onProgress?: (p: SyncProgress) => void): Promise<SyncOutcome> {
  if (!running) {
    running = run(db, onProgress).finally(() => {
      running = null;
    });
  }
  return running;
}

export function isSyncing(): boolean {
  return running !== null;
}

async function run(db: PhoneDb, onProgress?: (p: SyncProgress) => void): Promise<SyncOutcome> {
  const pending = (await allOutbox(db)).filter((i) => i.state === 'pending');
  const outcome: SyncOutcome = { uploaded: 0, conflicts: 0, rejected: 0 };
  const total = pending.length;
  let done = 0;
  const started = performance.now();
  const report = () => onProgress?.({ done, total, elapsedMs: performance.now() - started });
  report();
  for (let start = 0; start < pending.length; start += UPLOAD_BATCH) {
    const batch = pending.slice(start, start + UPLOAD_BATCH);
    // Records already on the server that wait only for their photo are not sent again.
    const toSend = batch.filter((i) => !(i.result && written(i.result)));
    let settled: OutboxItem[] = batch.filter((i) => !toSend.includes(i));
    try {
      if (toSend.length > 0) {
        const results = await sendBatch(toSend);
        const byId = new Map(results.map((r) => [r.clientId, r]));
        const at = new Date().toISOString();
        const tx = db.transaction('outbox', 'readwrite');
        for (const item of toSend) {
          const r = byId.get(item.clientId);
          if (!r) continue;
          const next = settle(item, r, at);
          settled.push(next);
          await tx.store.put(next);
        }
        await tx.done;
      }
      const after: OutboxItem[] = [];
      for (const item of settled) {
        after.push(item.state === 'pending' && item.photo && !item.photoUploaded && item.result && written(item.result) ? await uploadPhoto(db, item) : item);
      }
      settled = after;
    } catch (err) {
      Object.assign(outcome, stopOf(err));
      done += settled.filter((i) => i.state !== 'pending').length;
      report();
      break;
    }
    for (const i of settled) {
      if (i.state === 'uploaded') outcome.uploaded += 1;
      else if (i.state === 'conflict') outcome.conflicts += 1;
      else if (i.state === 'rejected') outcome.rejected += 1;
    }
    done += batch.length;
    report();
  }
  return outcome;
}
