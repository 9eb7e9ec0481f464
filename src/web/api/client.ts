// The one HTTP client of the web app. It knows the server's error envelope
// ({ error: { code, message, details? } }) and handles the cross-cutting cases centrally:
// an expired session, a forced password change and re-authentication before high-value actions.
import type { ErrorCode } from '../../shared/errors';

export type ClientErrorCode = ErrorCode | 'NETWORK' | 'REAUTH_CANCELLED';

export class ApiError extends Error {
  readonly status: number;
  readonly code: ClientErrorCode;
  readonly details: unknown;
  constructor(status: number, code: ClientErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * True for errors that need no message from the page: a cancelled re-auth, and the cases the
 * client already handled centrally (session gone → login page, forced password change).
 */
export function isSilentError(err: unknown): boolean {
  return (
    err instanceof ApiError &&
    (err.code === 'REAUTH_CANCELLED' || err.code === 'UNAUTHENTICATED' || err.code === 'PASSWORD_CHANGE_REQUIRED')
  );
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return '操作失败，请稍后重试';
}

export type ApiHandlers = {
  /** The server answered 401: the session is gone. */
  onUnauthenticated?: () => void;
  /** The server demands a password change before anything else. */
  onPasswordChangeRequired?: () => void;
  /** Ask the user for the password again; resolves once /api/auth/reauth succeeded, rejects on cancel. */
  requestReauth?: () => Promise<void>;
};

let handlers: ApiHandlers = {};
export function setApiHandlers(h: ApiHandlers): void {
  handlers = h;
}

export type RequestOptions = {
  /** Do not run the global 401 / password-change handling (login, boot-time /me). */
  noAuthRedirect?: boolean;
  /** Do not open the re-auth modal (the re-auth call itself). */
  noReauth?: boolean;
  signal?: AbortSignal;
};

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

// One re-auth prompt at a time, shared by every request that needs it.
let pendingReauth: Promise<void> | null = null;
function reauthOnce(): Promise<void> {
  const ask = handlers.requestReauth;
  if (!ask) return Promise.reject(new ApiError(403, 'REAUTH_CANCELLED', '需要再次验证密码'));
  if (!pendingReauth) {
    pendingReauth = ask().finally(() => {
      pendingReauth = null;
    });
  }
  return pendingReauth;
}

function errorFromBody(status: number, body: unknown): ApiError {
  const e = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    return new ApiError(status, e.code as ErrorCode, e.message, e.details);
  }
  if (status === 413) return new ApiError(413, 'PAYLOAD_TOO_LARGE', '提交的内容过大');
  return new ApiError(status, 'INTERNAL', `服务器错误（HTTP ${status}），请稍后重试`);
}

async function parseError(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  return errorFromBody(res.status, body);
}

/**
 * The central handling of a failed request: 401 → login, forced password change, re-auth and one
 * retry. Returns the retried request's result or throws the error.
 */
async function handleFailure<T>(err: ApiError, opts: RequestOptions, retried: boolean, retry: () => Promise<T>): Promise<T> {
  if (err.status === 401 && err.code === 'UNAUTHENTICATED' && !opts.noAuthRedirect) {
    handlers.onUnauthenticated?.();
  } else if (err.code === 'PASSWORD_CHANGE_REQUIRED' && !opts.noAuthRedirect) {
    handlers.onPasswordChangeRequired?.();
  } else if (err.code === 'REAUTH_REQUIRED' && !opts.noReauth && !retried) {
    await reauthOnce(); // rejects with REAUTH_CANCELLED when the user cancels
    return retry();
  }
  throw err;
}

async function send<T>(method: string, path: string, body: unknown, opts: RequestOptions, retried: boolean): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers, cache: 'no-store' };
  if (opts.signal) init.signal = opts.signal;
  if (body instanceof Blob) {
    headers['Content-Type'] = body.type || 'application/octet-stream';
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (res.ok) {
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const err = await parseError(res);
  return handleFailure(err, opts, retried, () => send<T>(method, path, body, opts, true));
}

export type UploadOptions = RequestOptions & {
  /** Bytes of the request body sent so far (XMLHttpRequest upload progress). */
  onProgress?: (loaded: number, total: number) => void;
  /** The whole body has been sent; the server is now working on it. */
  onUploaded?: () => void;
};

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

function xhrPost<T>(path: string, form: FormData, opts: UploadOptions, retried: boolean): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new DOMException('已取消', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.(e.loaded, e.total);
    };
    xhr.upload.onload = () => opts.onUploaded?.();
    xhr.onload = () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body as T);
        return;
      }
      handleFailure(errorFromBody(xhr.status, body), opts, retried, () => xhrPost<T>(path, form, opts, true)).then(resolve, reject);
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试'));
    xhr.onabort = () => reject(new DOMException('已取消', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/**
 * POST multipart/form-data with upload progress (fetch cannot report it). Same error envelope and
 * central handling as the JSON requests; after a re-auth the form is sent again.
 */
export function upload<T>(path: string, form: FormData, opts: UploadOptions = {}): Promise<T> {
  return xhrPost<T>(path, form, opts, false);
}

export function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  return send<T>(method, path, body, opts, false);
}

export const api = {
  get: <T>(path: string, query?: Query, opts?: RequestOptions) => request<T>('GET', withQuery(path, query), undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, body ?? {}, opts),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body ?? {}, opts),
  delete: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
  /** PUT a file as the raw request body (its type as Content-Type), e.g. a photo. */
  putBlob: <T>(path: string, blob: Blob, opts?: RequestOptions) => request<T>('PUT', path, blob, opts),
};
