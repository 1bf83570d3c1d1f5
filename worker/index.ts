import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { ApiErrorCode } from '../shared/widget-api';
import type { AppEnv, Env } from './env';
import { localPartnero } from './dev/local-partnero/app';
import { api } from './api/app';
import { ApiError, errorResponse } from './api/errors';
import { demo } from './dev/demo/app';
import { handleQueue } from './attribution/queue';
import { log } from './log';
import { requestLog } from './middleware/request-log';

/**
 * The worker: the widget API under /api, the demo host's dev-only routes under /demo,
 * and — only when no PARTNERO_API_URL is configured — the local Partnero-compatible API
 * under /v1. Built browser bundles and demo pages are static assets (wrangler.toml [assets]).
 */
const app = new Hono<AppEnv>();

app.use('*', requestId(), requestLog());

app.route('/api', api);
app.route('/demo', demo);
app.all('/v1/*', (c) => {
  if (c.env.PARTNERO_API_URL?.trim()) {
    return c.json({ message: 'Not Found' }, 404);
  }
  return localPartnero.fetch(c.req.raw, c.env, c.executionCtx);
});
app.get('/', (c) => c.redirect('/demo/', 302));
app.notFound((c) => c.json({ error: { code: 'not_found', message: 'Not found.' } }, 404));

const HTTP_CODES: Partial<Record<number, ApiErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

/**
 * The one error handler: expected failures (ApiError, HTTPException) become the envelope;
 * anything else is logged with the request id and answered with a 500 that leaks nothing.
 */
function onError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ApiError) return errorResponse(c, err);
  if (err instanceof HTTPException && err.status < 500) {
    const code = HTTP_CODES[err.status] ?? 'bad_request';
    return errorResponse(c, new ApiError(err.status, code, err.status === 413 ? 'The request body is too large.' : 'The request was refused.'));
  }
  log(
    'error',
    'unhandled error',
    { id: c.get('requestId'), method: c.req.method, path: c.req.path.slice(0, 256), error: err.name, detail: err.message, stack: err.stack?.slice(0, 2000) },
    c.env,
  );
  return errorResponse(c, new ApiError(500, 'internal_error', 'Something went wrong. Try again later.'));
}
app.onError(onError);

export { app };

export default {
  fetch: app.fetch,
  queue: (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => handleQueue(batch, env, ctx),
} satisfies ExportedHandler<Env>;
