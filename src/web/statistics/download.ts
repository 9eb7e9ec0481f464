// Downloads of generated files (the analysis report's draft): fetched first, so that the page can show
// that the server is working (a report takes a few seconds) and say why it failed, then saved under
// the name the server gave it.
import type { ErrorCode } from '../../shared/errors';
import { api, ApiError } from '../api/client';

/** The file name of a Content-Disposition header (RFC 5987 filename* first). */
export function dispositionFileName(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]+)"/i.exec(header) ?? /filename\s*=\s*([^;]+)/i.exec(header);
  return plain?.[1]?.trim() ?? null;
}

/** GETs `url` and saves the answer as a file; throws an ApiError with the server's message on failure. */
export async function downloadFile(url: string, fallbackName: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (!res.ok) {
    let message = `下载失败（HTTP ${res.status}），请稍后重试`;
    let code: ErrorCode = 'INTERNAL';
    try {
      const body = (await res.json()) as { error?: { code?: string; message?: string } };
      if (body.error?.message) message = body.error.message;
      if (body.error?.code) code = body.error.code as ErrorCode;
    } catch {
      // not JSON: keep the generic message
    }
    // A session that is gone: let the API client's central handling take the user to the login page.
    if (res.status === 401) await api.get('/api/auth/me').catch(() => undefined);
    throw new ApiError(res.status, code, message);
  }
  const name = dispositionFileName(res.headers.get('Content-Disposition')) ?? fallbackName;
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 30_000);
  return name;
}
