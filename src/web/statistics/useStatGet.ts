import { useEffect, useState } from 'react';
import { api, type Query } from '../api/client';

/**
 * GETs `url` with `query` whenever they (or `refreshKey`) change; a later request wins. Unlike
 * useApiGet the error is returned, not shown: the page tells a unit outside the user's scope (404)
 * from other failures. The previous data stay while the next request runs (no flicker on drill-down).
 */
export function useStatGet<T>(url: string | null, query: Query, refreshKey: unknown = 0): { data: T | null; loading: boolean; error: unknown } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(url !== null);
  const queryKey = JSON.stringify(query);
  useEffect(() => {
    if (url === null) return;
    let alive = true;
    setLoading(true);
    api
      .get<T>(url, JSON.parse(queryKey) as Query)
      .then((r) => {
        if (!alive) return;
        setData(r);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!alive) return;
        setData(null);
        setError(err);
      })
      .finally(() => {
        if (alive) setLoading(false);
      });
    return () => {
      alive = false;
    };
  }, [url, queryKey, refreshKey]);
  return { data, loading, error };
}
