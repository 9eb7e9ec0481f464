import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, ApiError } from '../api/client';
import type { SessionUser } from '../api/types';
import { invalidateOrgs } from '../common/useOrgs';
import { clearAllDrafts } from '../registration/draft';

export type AuthState = {
  user: SessionUser | null;
  /** True until the boot-time /api/auth/me answered. */
  loading: boolean;
  login: (username: string, password: string, totp?: string) => Promise<SessionUser>;
  logout: () => Promise<void>;
  /** Re-read /api/auth/me (after a password change). */
  refresh: () => Promise<SessionUser | null>;
  /** Forget the user locally (the server said the session is gone). Returns whether one was logged in. */
  clear: () => boolean;
};

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null>(null);
  const [loading, setLoading] = useState(true);
  const userRef = useRef<SessionUser | null>(null);
  userRef.current = user;

  const refresh = useCallback(async () => {
    try {
      const r = await api.get<{ user: SessionUser }>('/api/auth/me', undefined, { noAuthRedirect: true });
      setUser(r.user);
      return r.user;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setUser(null);
        return null;
      }
      throw err;
    }
  }, []);

  useEffect(() => {
    refresh()
      .catch(() => setUser(null))
      .finally(() => setLoading(false));
  }, [refresh]);

  const login = useCallback(async (username: string, password: string, totp?: string) => {
    const r = await api.post<{ user: SessionUser }>('/api/auth/login', { username, password, ...(totp ? { totp } : {}) }, { noAuthRedirect: true });
    invalidateOrgs();
    setUser(r.user);
    return r.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout', {}, { noAuthRedirect: true });
    } finally {
      invalidateOrgs();
      clearAllDrafts(); // unsaved registration forms hold personal data: not left on a shared computer
      setUser(null);
    }
  }, []);

  const clear = useCallback(() => {
    const was = userRef.current !== null;
    invalidateOrgs();
    setUser(null);
    return was;
  }, []);

  const value = useMemo<AuthState>(
    () => ({ user, loading, login, logout, refresh, clear }),
    [user, loading, login, logout, refresh, clear],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth must be used inside AuthProvider');
  return ctx;
}

/** The logged-in user; only for components rendered behind RequireAuth. */
export function useUser(): SessionUser {
  const { user } = useAuth();
  if (!user) throw new Error('useUser called without a logged-in user');
  return user;
}
