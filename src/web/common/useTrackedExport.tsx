// Export buttons that show the export's progress (issue 14) while the browser downloads the file
// itself, streamed: nothing of the file passes through the page's memory. A click adds a random
// token to the export's URL (`progress=`), starts the download, and polls the server for the rows
// written of the rows in all, shown in a notification (corner of the page, nothing blocked) until
// the export ends. The polling goes on if the user leaves the page; the notification is the app's.
//
//   const trackedExport = useTrackedExport();
//   <Button {...trackedExport(url)} download>导出</Button>
//
// A middle click or a modified click (new tab, save as) is left to the browser, without progress.
import { App } from 'antd';
import type { MouseEvent } from 'react';
import { useCallback } from 'react';
import type { ExportProgress } from '../../shared/api-registration';
import { ApiError, api } from '../api/client';
import { JobProgress } from './JobProgress';

const POLL_MS = 700;
/** Polls answered 404 before the export is given up on (it never started: a refused request). */
const MAX_MISSES = 30;
const MAX_ERRORS = 5;
const DONE_SHOWN_S = 4;

/** 24 random URL-safe characters (crypto.getRandomValues: available on plain HTTP too, unlike randomUUID). */
function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

/** Starts a download of `href` the way a click on a download link does (streamed by the browser). */
function download(href: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = '';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function useTrackedExport(): (url: string) => { href: string; onClick: (e: MouseEvent<HTMLElement>) => void } {
  const { notification } = App.useApp();

  const follow = useCallback(
    async (token: string) => {
      const key = `export-${token}`;
      const show = (p: ExportProgress | null) =>
        notification.open({
          key,
          title: '正在导出',
          description: <JobProgress data-testid="export-progress" done={p?.rowsWritten ?? 0} total={p?.rowsTotal ?? null} estimated={p?.rowsTotalEstimated ?? false} elapsedMs={p?.elapsedMs ?? null} />,
          duration: false,
          placement: 'bottomRight',
        });
      show(null);
      let misses = 0;
      let errors = 0;
      for (;;) {
        await sleep(POLL_MS);
        let p: ExportProgress;
        try {
          p = await api.get<ExportProgress>(`/api/registrations/export-progress/${token}`, undefined, { noAuthRedirect: true });
        } catch (err) {
          const notYet = err instanceof ApiError && err.status === 404;
          if ((notYet && ++misses <= MAX_MISSES) || (!notYet && !(err instanceof ApiError && err.status === 401) && ++errors <= MAX_ERRORS)) continue;
          notification.destroy(key); // the download itself shows what became of it
          return;
        }
        if (p.failed) {
          notification.error({ key, title: '导出失败', description: '服务器在导出过程中出错，下载的文件不完整，请重新导出', duration: false, placement: 'bottomRight' });
          return;
        }
        if (p.done) {
          notification.success({
            key,
            title: '导出完成',
            description: <JobProgress data-testid="export-progress" done={p.rowsWritten} total={p.rowsTotal} elapsedMs={p.elapsedMs} finished />,
            duration: DONE_SHOWN_S,
            placement: 'bottomRight',
          });
          return;
        }
        show(p);
      }
    },
    [notification],
  );

  return useCallback(
    (url: string) => ({
      href: url,
      onClick: (e: MouseEvent<HTMLElement>) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        const token = randomToken();
        download(`${url}${url.includes('?') ? '&' : '?'}progress=${token}`);
        void follow(token);
      },
    }),
    [follow],
  );
}
