import { useEffect, useState } from 'react';
import { api, type Query } from '../api/client';
import { useNotifyError } from './useNotifyError';

/**
 * GETs `url` (with `query`) whenever the URL, the query or `refreshKey` change; a later request
 * wins over an earlier one still running; errors are shown. `url` null: nothing is loaded.
 */
export function useApiGet<T>(url: string | null, query?: Query, refreshKey: unknown = 0): { data: T | null; loading: boolean } {
  const notifyError = useNotifyError();
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(url !== null);
  const queryKey = JSON.stringify(query ?? {});
  useEffect(() => {
    if (url === null) return;
    let alive = true;
    setLoading(true);
    api
      .get<T>(url, JSON.parse(queryKey) as Query)
      .then((r) => {
        if (alive) setData(r);
      })
      .catch((err: unknown) => {
        if (alive) notifyError(err);
      })
      .finally(() => {
        if (alive) setLoading(false);
      });
    return () => {
      alive = false;
    };
  }, [url, queryKey, refreshKey, notifyError]);
  return { data, loading };
}
