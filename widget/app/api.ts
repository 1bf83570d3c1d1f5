import type { ApiErrorBody } from '../../shared/widget-api.ts';

/** A failed widget-API call. `code` is the API's error code, or `network_error`/`http_<status>`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message = '',
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** True when the error means the customer has no valid token (show the signed-out state). */
export const isAuthError = (e: unknown): boolean => e instanceof ApiError && e.status === 401;

export interface ApiOptions {
  apiOrigin: string;
  token?: string | undefined;
  tokenUrl?: string | undefined;
  getToken?: (() => string | Promise<string>) | undefined;
  signal: AbortSignal;
}

export interface Api {
  /** GET `/api${path}` or, with a body, POST it as JSON. Rejects with ApiError. */
  call<T>(path: string, body?: unknown): Promise<T>;
}

/** Fetches a token from a host endpoint answering `{"token"}` JSON or the bare token as text. */
async function fetchToken(url: string, signal: AbortSignal): Promise<string> {
  const res = await fetch(url, { signal, headers: { Accept: 'application/json, text/plain' } });
  if (!res.ok) throw 0;
  const text = (await res.text()).trim();
  let token: unknown = text;
  if (text[0] == '{') token = (JSON.parse(text) as { token?: unknown }).token;
  if (typeof token != 'string' || !token) throw 0;
  return token;
}

/**
 * The widget's API client for one widget instance. A 401 renews the token once (token URL
 * or getToken) and retries the request; concurrent 401s share one renewal.
 */
export function createApi(o: ApiOptions): Api {
  let token = o.token;
  let renewing: Promise<string | undefined> | undefined;
  const source = o.getToken ?? (o.tokenUrl ? () => fetchToken(o.tokenUrl!, o.signal) : undefined);

  const renew = (stale: string | undefined): Promise<string | undefined> => {
    // Another request already renewed past the token this one used: just retry.
    if (token !== stale) return Promise.resolve(token);
    return (renewing ??= (async () => {
      try {
        return (token = await source!());
      } catch {
        throw new ApiError(401, 'unauthorized');
      } finally {
        renewing = undefined;
      }
    })());
  };

  const call = async <T>(path: string, body?: unknown): Promise<T> => {
    if (!token && source) await renew(token);
    for (let retried = false; ; retried = true) {
      if (!token) throw new ApiError(401, 'unauthorized');
      const used = token;
      let res: Response;
      try {
        res = await fetch(`${o.apiOrigin}/api${path}`, {
          method: body ? 'POST' : 'GET',
          headers: body
            ? { Authorization: `Bearer ${used}`, 'Content-Type': 'application/json' }
            : { Authorization: `Bearer ${used}` },
          body: body ? JSON.stringify(body) : null,
          signal: o.signal,
        });
      } catch {
        throw new ApiError(0, 'network_error');
      }
      if (res.status == 401 && source && !retried) {
        await renew(used);
        continue;
      }
      const data: unknown = await res.json().catch(() => null);
      if (res.ok) return data as T;
      const err = (data as Partial<ApiErrorBody> | null)?.error;
      throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message, err?.retry_after);
    }
  };
  return { call };
}
