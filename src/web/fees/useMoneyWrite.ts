// One way to run a write of the fee pages: the answer goes to the caller; a stale version (409 with
// the current object in details.current) says so clearly and reloads the page's data; any other
// error is shown (and handed to `onError` for a message next to the form).
import { App } from 'antd';
import { useCallback } from 'react';
import { ApiError, errorMessage, isSilentError } from '../api/client';
import { useNotifyError } from '../common/useNotifyError';

export function isStaleConflict(err: unknown): boolean {
  if (!(err instanceof ApiError) || err.code !== 'CONFLICT') return false;
  const d = err.details as { current?: unknown } | null | undefined;
  return !!d && typeof d === 'object' && d.current !== undefined;
}

export type MoneyWrite = <T>(fn: () => Promise<T>, onError?: (message: string) => void) => Promise<T | null>;

export function useMoneyWrite(reload: () => unknown): MoneyWrite {
  const { modal } = App.useApp();
  const notifyError = useNotifyError();
  return useCallback(
    async <T,>(fn: () => Promise<T>, onError?: (message: string) => void): Promise<T | null> => {
      try {
        return await fn();
      } catch (err) {
        if (isStaleConflict(err)) {
          modal.warning({
            title: '数据已被他人修改',
            content: `${errorMessage(err)}。您的操作没有执行，页面将载入最新数据，请核对后重新操作。`,
            okText: '载入最新数据',
            onOk: () => {
              void reload();
            },
          });
          void reload();
        } else {
          notifyError(err);
          if (!isSilentError(err)) onError?.(errorMessage(err));
        }
        return null;
      }
    },
    [modal, notifyError, reload],
  );
}
