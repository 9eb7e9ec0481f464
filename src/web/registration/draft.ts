// Unsaved registration forms kept in localStorage, one per user and record ('new' or the record id),
// so closing the page loses nothing. Drafts hold personal data: they expire after a few days and
// are all removed at logout (clearAllDrafts).

const PREFIX = 'canbao.regDraft.';
const LAST_ORG_PREFIX = 'canbao.regLastOrg.';
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

export type Draft = {
  /** Community of a new record. */
  orgUnitId?: number | undefined;
  values: Record<string, string>;
  /** The record version the edit started from (edits only). */
  baseVersion?: number | undefined;
  savedAt: string;
};

const keyOf = (userId: number, recordKey: string) => `${PREFIX}${userId}.${recordKey}`;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // disabled (private mode, policy)
  }
}

export function loadDraft(userId: number, recordKey: string): Draft | null {
  const s = storage();
  if (!s) return null;
  try {
    const raw = s.getItem(keyOf(userId, recordKey));
    if (!raw) return null;
    const d = JSON.parse(raw) as Draft;
    if (!d || typeof d !== 'object' || typeof d.values !== 'object' || typeof d.savedAt !== 'string') return null;
    if (Date.now() - Date.parse(d.savedAt) > MAX_AGE_MS) {
      s.removeItem(keyOf(userId, recordKey));
      return null;
    }
    return d;
  } catch {
    return null;
  }
}

export function saveDraft(userId: number, recordKey: string, draft: Omit<Draft, 'savedAt'>): void {
  const s = storage();
  if (!s) return;
  try {
    s.setItem(keyOf(userId, recordKey), JSON.stringify({ ...draft, savedAt: new Date().toISOString() }));
  } catch {
    // quota exceeded: the draft is a convenience only
  }
}

export function clearDraft(userId: number, recordKey: string): void {
  storage()?.removeItem(keyOf(userId, recordKey));
}

/** Remove every registration draft of every user (at logout: drafts hold personal data). */
export function clearAllDrafts(): void {
  const s = storage();
  if (!s) return;
  const keys: string[] = [];
  for (let i = 0; i < s.length; i += 1) {
    const k = s.key(i);
    if (k?.startsWith(PREFIX)) keys.push(k);
  }
  for (const k of keys) s.removeItem(k);
}

/** The community a user last entered a record for (not personal data). */
export function loadLastOrg(userId: number): number | undefined {
  const v = Number(storage()?.getItem(`${LAST_ORG_PREFIX}${userId}`));
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

export function saveLastOrg(userId: number, orgUnitId: number): void {
  try {
    storage()?.setItem(`${LAST_ORG_PREFIX}${userId}`, String(orgUnitId));
  } catch {
    // ignore
  }
}
