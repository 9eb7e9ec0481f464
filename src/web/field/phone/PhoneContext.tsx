// The phone app's state: the user, whether the server can be reached and the session holds, the
// cached task list and the outbox, and the upload running now. Uploads start by themselves when
// the network returns, after each save, every minute while records wait, and on demand.
import { App } from 'antd';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, errorMessage } from '../../api/client';
import type { SessionUser } from '../../api/types';
import { allOutbox, countOutbox, forgetServerData, loadTasks, phoneDb, saveTasks, type OutboxCounts, type OutboxItem, type PhoneDb } from './db';
import { cacheUser, cachedUser, checkSession, forgetUser } from './session';
import { syncOutbox, type SyncOutcome, type SyncProgress } from './sync';
import type { FieldTask, FieldTasks } from './types';

/** valid: the server knows the session; expired: it answered 401; unknown: not asked yet or offline. */
export type SessionState = 'valid' | 'expired' | 'unknown';

export type PhoneState = {
  booting: boolean;
  user: SessionUser | null;
  db: PhoneDb | null;
  online: boolean;
  session: SessionState;
  tasks: FieldTask[];
  tasksFetchedAt: string | null;
  tasksLoading: boolean;
  outbox: OutboxItem[];
  counts: OutboxCounts;
  syncing: boolean;
  progress: SyncProgress | null;
  lastSync: (SyncOutcome & { at: string }) | null;
  login: (username: string, password: string, totp?: string) => Promise<SessionUser>;
  /** Logs out (the caller has warned about unsent records). */
  logout: () => Promise<void>;
  refreshTasks: () => Promise<void>;
  reloadOutbox: () => Promise<void>;
  sync: () => Promise<SyncOutcome | null>;
};

const Ctx = createContext<PhoneState | null>(null);

export function usePhone(): PhoneState {
  const c = useContext(Ctx);
  if (!c) throw new Error('usePhone outside PhoneProvider');
  return c;
}

/** The logged-in (or remembered) user's database; only for pages behind the login. */
export function usePhoneDb(): { db: PhoneDb; user: SessionUser } {
  const { db, user } = usePhone();
  if (!db || !user) throw new Error('usePhoneDb without a user');
  return { db, user };
}

const AUTO_SYNC_MS = 60_000;

export function PhoneProvider({ children }: { children: ReactNode }) {
  const { message } = App.useApp();
  const [booting, setBooting] = useState(true);
  const [user, setUser] = useState<SessionUser | null>(null);
  const [db, setDb] = useState<PhoneDb | null>(null);
  const [online, setOnline] = useState(() => navigator.onLine);
  const [session, setSessionState] = useState<SessionState>('unknown');
  const [tasks, setTasks] = useState<FieldTask[]>([]);
  const [tasksFetchedAt, setTasksFetchedAt] = useState<string | null>(null);
  const [tasksLoading, setTasksLoading] = useState(false);
  const [outbox, setOutbox] = useState<OutboxItem[]>([]);
  const [syncing, setSyncing] = useState(false);
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [lastSync, setLastSync] = useState<PhoneState['lastSync']>(null);
  const state = useRef({ db, user, session, online });
  state.current = { db, user, session, online };
  // The session's state is read by callbacks before the next render (ensureSession): both at once,
  // so a session just found valid is not asked for again.
  const setSession = useCallback((s: SessionState) => {
    state.current.session = s;
    setSessionState(s);
  }, []);

  const reloadOutbox = useCallback(async () => {
    const d = state.current.db;
    if (d) setOutbox(await allOutbox(d));
  }, []);

  const open = useCallback(async (u: SessionUser) => {
    // What is saved on the phone must not be evicted when the phone runs short of space.
    void navigator.storage?.persist?.().catch(() => false);
    const d = await phoneDb(u.id);
    const [items, cached] = await Promise.all([allOutbox(d), loadTasks(d)]);
    state.current.db = d;
    state.current.user = u;
    setDb(d);
    setUser(u);
    setOutbox(items);
    setTasks(cached.tasks);
    setTasksFetchedAt(cached.fetchedAt);
    return d;
  }, []);

  /**
   * Before talking to the server on the remembered user's behalf: the server's session must be that
   * user's (the browser's cookie may belong to someone who logged in on the desktop pages since).
   */
  const ensureSession = useCallback(async (): Promise<boolean> => {
    if (state.current.session === 'valid') return true;
    const check = await checkSession();
    if (check.kind === 'offline') return false;
    if (check.kind === 'valid' && check.user.id === state.current.user?.id) {
      setSession('valid');
      return true;
    }
    setSession('expired');
    if (check.kind === 'valid') void message.warning(`服务器上当前登录的是其他账号（${check.user.displayName}），请以本账号重新登录后上传`);
    return false;
  }, [message]);

  const refreshTasks = useCallback(async () => {
    const d = state.current.db;
    if (!d || state.current.user?.role !== 'surveyor') return;
    if (!(await ensureSession())) return;
    setTasksLoading(true);
    try {
      const r = await api.get<FieldTasks>('/api/field/tasks', undefined, { noAuthRedirect: true });
      const at = new Date().toISOString();
      await saveTasks(d, r.items, at);
      setTasks([...r.items].sort((a, b) => a.code.localeCompare(b.code)));
      setTasksFetchedAt(at);
      setSession('valid');
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setSession('expired');
      else if (err instanceof ApiError && err.code === 'NETWORK') setOnline(navigator.onLine);
      else void message.error(`任务列表未能更新：${errorMessage(err)}`);
    } finally {
      setTasksLoading(false);
    }
  }, [message, ensureSession]);

  const sync = useCallback(async (): Promise<SyncOutcome | null> => {
    const d = state.current.db;
    if (!d || state.current.user?.role !== 'surveyor') return null;
    if (!(await ensureSession())) return null;
    setSyncing(true);
    try {
      const outcome = await syncOutbox(d, setProgress);
      if (outcome.stopped === 'unauthenticated') setSession('expired');
      else if (outcome.stopped !== 'offline') setSession('valid');
      setLastSync({ ...outcome, at: new Date().toISOString() });
      return outcome;
    } finally {
      setSyncing(false);
      setProgress(null);
      setOutbox(await allOutbox(d));
    }
  }, [ensureSession]);

  // Boot (once): the server's answer when it can be reached, else the user remembered on the phone.
  const booted = useRef(false);
  useEffect(() => {
    if (booted.current) return;
    booted.current = true;
    void (async () => {
      const check = await checkSession();
      const remembered = cachedUser();
      if (check.kind === 'valid') {
        cacheUser(check.user);
        setSession('valid');
        await open(check.user);
      } else {
        setSession(check.kind === 'expired' ? 'expired' : 'unknown');
        if (remembered) await open(remembered);
      }
      setBooting(false);
      if (check.kind === 'valid' && check.user.role === 'surveyor') {
        await refreshTasks();
        await sync();
      }
    })();
  }, [open, refreshTasks, sync]);

  // The network comes and goes: upload as soon as it is back.
  useEffect(() => {
    const up = () => {
      setOnline(true);
      if (state.current.session !== 'expired') void sync().then(() => refreshTasks());
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [sync, refreshTasks]);

  const counts = useMemo(() => countOutbox(outbox), [outbox]);

  // While records wait: try again every minute.
  useEffect(() => {
    if (counts.pending === 0 || !online || session === 'expired') return;
    const t = setInterval(() => void sync(), AUTO_SYNC_MS);
    return () => clearInterval(t);
  }, [counts.pending, online, session, sync]);

  const login = useCallback(
    async (username: string, password: string, totp?: string) => {
      const r = await api.post<{ user: SessionUser }>('/api/auth/login', { username, password, ...(totp ? { totp } : {}) }, { noAuthRedirect: true });
      cacheUser(r.user);
      setSession('valid');
      setOnline(true);
      await open(r.user);
      if (r.user.role === 'surveyor') {
        void refreshTasks().then(() => sync());
      }
      return r.user;
    },
    [open, refreshTasks, sync],
  );

  const logout = useCallback(async () => {
    const d = state.current.db;
    try {
      await api.post('/api/auth/logout', {}, { noAuthRedirect: true });
    } catch {
      // offline or already expired: the phone forgets the user anyway
    }
    if (d) await forgetServerData(d);
    forgetUser();
    setUser(null);
    setDb(null);
    setTasks([]);
    setOutbox([]);
    setTasksFetchedAt(null);
    setSession('unknown');
  }, []);

  const value: PhoneState = {
    booting,
    user,
    db,
    online,
    session,
    tasks,
    tasksFetchedAt,
    tasksLoading,
    outbox,
    counts,
    syncing,
    progress,
    lastSync,
    login,
    logout,
    refreshTasks,
    reloadOutbox,
    sync,
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
