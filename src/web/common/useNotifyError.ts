import { App } from 'antd';
import { useCallback } from 'react';
import { errorMessage, isSilentError } from '../api/client';

/** Returns a function that shows an API error's Chinese message (silent for a cancelled re-auth). */
export function useNotifyError(): (err: unknown) => void {
  const { message } = App.useApp();
  return useCallback(
    (err: unknown) => {
      if (isSilentError(err)) return;
      void message.error(errorMessage(err));
    },
    [message],
  );
}
