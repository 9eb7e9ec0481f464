// What the phone keeps (IndexedDB, one database per user): the surveyor's task list as last
// fetched (records masked by the server), the outbox of persons saved on the phone, and the form
// being filled in. Nothing here is shared between users of the same phone.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore, type StoreNames } from 'idb';
import type { FieldUploadResult } from '../../../shared/api-field';
import type { FormValues } from '../../registration/fields';
import type { FieldTask } from './types';

/** 待上传 / 已上传 / 有冲突 / 被拒绝 */
export type OutboxState = 'pending' | 'uploaded' | 'conflict' | 'rejected';

export const OUTBOX_STATE_LABELS: Record<OutboxState, string> = { pending: '待上传', uploaded: '已上传', conflict: '有冲突', rejected: '被拒绝' };

export type OutboxItem = {
  /** Generated on the phone when the person is saved; the server creates one record per id, however often it is sent. */
  clientId: string;
  orgUnitId: number;
  communityName: string;
  /** The members saved one after another for one household share it. */
  householdKey: string;
  values: FormValues;
  /** The phone's own check when saved (the server checks again). */
  localValid: boolean;
  state: OutboxState;
  savedAt: string;
  updatedAt: string;
  /** Sent as an edit of this server record, from this version (set when a conflict is resolved by merging). */
  registrationId?: number | undefined;
  baseVersion?: number | undefined;
  /** The fields such an edit changes (the rest of the server's record stays). */
  changes?: Record<string, string | null> | undefined;
  /** The surveyor saw the server's record of the same ID number and keeps this one as well. */
  confirmDuplicate?: boolean | undefined;
  /** The photo of the signed paper form, compressed on the phone. */
  photo?: Blob | undefined;
  photoUploaded?: boolean | undefined;
  /** The server's last answer (conflict: its record; rejected: the reasons). */
  result?: FieldUploadResult | undefined;
  /** How a conflict was settled, for the list. */
  resolution?: string | undefined;
  attempts: number;
  lastError?: string | undefined;
};

export type FormDraft = {
  orgUnitId: number;
  householdKey: string;
  values: FormValues;
  photo?: Blob | undefined;
  /** Outbox item being corrected (a rejected record opened again). */
  clientId?: string | undefined;
  savedAt: string;
};

interface FieldDb extends DBSchema {
  tasks: { key: number; value: FieldTask };
  outbox: { key: string; value: OutboxItem; indexes: { byState: OutboxState } };
  drafts: { key: string; value: FormDraft };
  meta: { key: string; value: string };
}

export type PhoneDb = IDBPDatabase<FieldDb>;

/** The draft of the person being registered in a community (one per community). */
export const draftKeyOf = (orgUnitId: number) => `form:${orgUnitId}`;

export const dbName = (userId: number) => `canbao-field-u${userId}`;

const open = new Map<number, Promise<PhoneDb>>();

export function phoneDb(userId: number): Promise<PhoneDb> {
  let p = open.get(userId);
  if (!p) {
    p = openDB<FieldDb>(dbName(userId), 1, {
      upgrade(db) {
        db.createObjectStore('tasks', { keyPath: 'orgUnitId' });
        const outbox = db.createObjectStore('outbox', { keyPath: 'clientId' });
        outbox.createIndex('byState', 'state');
        db.createObjectStore('drafts');
        db.createObjectStore('meta');
      },
    });
    open.set(userId, p);
  }
  return p;
}

/** Replaces the cached task list with the server's (communities no longer assigned are dropped). */
export async function saveTasks(db: PhoneDb, tasks: readonly FieldTask[], fetchedAt: string): Promise<void> {
  const tx = db.transaction(['tasks', 'meta'], 'readwrite');
  const store = tx.objectStore('tasks');
  await store.clear();
  for (const t of tasks) await store.put(t);
  await tx.objectStore('meta').put(fetchedAt, 'tasksFetchedAt');
  await tx.done;
}

export async function loadTasks(db: PhoneDb): Promise<{ tasks: FieldTask[]; fetchedAt: string | null }> {
  const [tasks, fetchedAt] = await Promise.all([db.getAll('tasks'), db.get('meta', 'tasksFetchedAt')]);
  return { tasks: tasks.sort((a, b) => a.code.localeCompare(b.code)), fetchedAt: fetchedAt ?? null };
}

export async function allOutbox(db: PhoneDb): Promise<OutboxItem[]> {
  const items = await db.getAll('outbox');
  return items.sort((a, b) => a.savedAt.localeCompare(b.savedAt) || a.clientId.localeCompare(b.clientId));
}

export type OutboxCounts = Record<OutboxState, number> & { unsent: number };

export function countOutbox(items: readonly OutboxItem[]): OutboxCounts {
  const c: OutboxCounts = { pending: 0, uploaded: 0, conflict: 0, rejected: 0, unsent: 0 };
  for (const i of items) c[i.state] += 1;
  c.unsent = c.pending + c.conflict + c.rejected;
  return c;
}

/** At logout: the personal data fetched from the server goes; the surveyor's unsent records stay. */
export async function forgetServerData(db: PhoneDb): Promise<void> {
  const tx = db.transaction(['tasks', 'meta', 'outbox'], 'readwrite');
  await tx.objectStore('tasks').clear();
  await tx.objectStore('meta').delete('tasksFetchedAt');
  await deleteUploaded(tx.objectStore('outbox'));
  await tx.done;
}

/** Removes the records already on the server from the phone (in the caller's transaction). */
async function deleteUploaded(outbox: IDBPObjectStore<FieldDb, ArrayLike<StoreNames<FieldDb>>, 'outbox', 'readwrite'>): Promise<void> {
  for (const key of await outbox.index('byState').getAllKeys('uploaded')) await outbox.delete(key);
}

/** 清除已上传记录: the phone's copies of records already on the server. */
export async function clearUploaded(db: PhoneDb): Promise<void> {
  const tx = db.transaction('outbox', 'readwrite');
  await deleteUploaded(tx.store);
  await tx.done;
}

/** A new client id (crypto.randomUUID needs a secure context; the fallback uses getRandomValues). */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
