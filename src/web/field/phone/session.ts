// Who is using the phone app. The user of the last online login is remembered on the phone so that
// the app opens offline (and after the server session timed out) on that user's own data; the
// server is asked whenever it can be reached.
import type { SessionUser } from '../../api/types';
import { api, ApiError } from '../../api/client';

const USER_KEY = 'canbao.field.user';

export function cachedUser(): SessionUser | null {
  try {
    const raw = window.localStorage.getItem(USER_KEY);
    if (!raw) return null;
    const u = JSON.parse(raw) as SessionUser;
    return u && typeof u.id === 'number' && typeof u.role === 'string' ? u : null;
  } catch {
    return null;
  }
}

export function cacheUser(user: SessionUser): void {
  try {
    window.localStorage.setItem(USER_KEY, JSON.stringify(user));
  } catch {
    // storage refused: the app then needs the network to open
  }
}

export function forgetUser(): void {
  try {
    window.localStorage.removeItem(USER_KEY);
  } catch {
    // ignore
  }
}

export type SessionCheck = { kind: 'valid'; user: SessionUser } | { kind: 'expired' } | { kind: 'offline' };

/** Asks the server who is logged in: valid, expired (401) or unreachable. */
export async function checkSession(): Promise<SessionCheck> {
  try {
    const r = await api.get<{ user: SessionUser }>('/api/auth/me', undefined, { noAuthRedirect: true });
    return { kind: 'valid', user: r.user };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return { kind: 'expired' };
    if (err instanceof ApiError && err.code === 'NETWORK') return { kind: 'offline' };
    // A server error: treat as unreachable for now (the cached data stays usable).
    return { kind: 'offline' };
  }
}
