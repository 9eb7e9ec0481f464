import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Items } from '../api/types';
import { useNotifyError } from './useNotifyError';

/** Loads `{ items }` from a GET endpoint on mount; `reload` fetches again. Errors are shown. */
export function useItems<T>(url: string): { items: T[]; loading: boolean; reload: () => Promise<void> } {
  const [items, setItems] = useState<T[]>([]);
  const [loading, setLoading] = useState(true);
  const notifyError = useNotifyError();
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await api.get<Items<T>>(url)).items);
    } catch (err) {
      notifyError(err);
    } finally {
      setLoading(false);
    }
  }, [url, notifyError]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { items, loading, reload };
}
