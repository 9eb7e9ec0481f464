import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { Items, OrgUnit } from '../api/types';
import { buildOrgIndex, type OrgIndex } from './orgTree';

// One fetch of /api/orgs shared by every page until invalidated (the list is ~1000 units).
let cache: Promise<OrgUnit[]> | null = null;
const listeners = new Set<() => void>();

function loadOrgs(): Promise<OrgUnit[]> {
  if (!cache) {
    cache = api.get<Items<OrgUnit>>('/api/orgs').then((r) => r.items);
    cache.catch(() => {
      cache = null;
    });
  }
  return cache;
}

/** Drop the cached list (after a create/rename, or on logout) and reload mounted users. */
export function invalidateOrgs(): void {
  cache = null;
  for (const l of listeners) l();
}

export type UseOrgs = {
  orgs: OrgUnit[];
  index: OrgIndex;
  loading: boolean;
  error: unknown;
  reload: () => void;
};

export function useOrgs(): UseOrgs {
  const [orgs, setOrgs] = useState<OrgUnit[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const l = () => setTick((t) => t + 1);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);

  useEffect(() => {
    let alive = true;
    setLoading(true);
    loadOrgs().then(
      (items) => {
        if (!alive) return;
        setOrgs(items);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!alive) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => {
      alive = false;
    };
  }, [tick]);

  const index = useMemo(() => buildOrgIndex(orgs), [orgs]);
  const reload = useCallback(() => invalidateOrgs(), []);
  return { orgs, index, loading, error, reload };
}
