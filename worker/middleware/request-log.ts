import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../hono-env';
import { customerTag, log } from '../log';
import { afterResponse } from '../context';
import { upstreamTiming } from './timing';

/**
 * One JSON log line per request (id, method, path, status, duration, upstream time and
 * calls, a hash of the customer key) and the `Server-Timing` header on every response: the
 * worker's own time (`app`) and, when it called upstream, the time spent waiting on it.
 * Never logs the query string, headers, bodies, the token or the API key.
 */
export function requestLog(): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    const timing = upstreamTiming(c);
    c.header('Server-Timing', `app;dur=${ms.toFixed(1)}`, { append: true });
    if (timing.calls > 0) {
      c.header('Server-Timing', `upstream;dur=${timing.ms.toFixed(1)};desc="${timing.calls} call${timing.calls === 1 ? '' : 's'}"`, {
        append: true,
      });
    }
    const customerKey: string | undefined = c.get('customerKey');
    const fields = {
      id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path.slice(0, 256),
      status: c.res.status,
      ms: Math.round(ms * 10) / 10,
      upstream_ms: Math.round(timing.ms * 10) / 10,
      upstream_calls: timing.calls,
    };
    const level = c.res.status >= 500 ? 'error' : 'info';
    const write = async () => {
      log(level, 'request', { ...fields, customer: customerKey ? await customerTag(customerKey) : undefined }, c.env);
    };
    // Hashing the customer key and writing the line need not delay the response.
    await afterResponse(c, write());
  };
}
