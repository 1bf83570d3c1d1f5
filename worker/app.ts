/**
 * Builds the worker's Hono app for a composition: the production entry (worker/index.ts)
 * and the dev entry (worker/dev/index.ts) make the same app, and differ only in how `env`
 * becomes a Config and in the fetch that reaches upstream.
 */
import { Hono, type ExecutionContext, type MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import { api } from './api/app';
import { handleQueue } from './attribution/queue';
import { describeProblems, type ConfigResult } from './config';
import type { Env } from './env';
import type { AppEnv } from './hono-env';
import { ApiError, errorResponse, handleError } from './errors';
import { requestLog } from './middleware/request-log';
import { recordUpstream } from './middleware/timing';
import type { Fetcher } from './partnero/types';
import { allowedMethods } from './routes';
import { upstreamClient } from './upstream';
import { executionCtx } from './context';

export interface Composition<E extends Env = Env> {
  /** env → Config, memoised per env object (see oncePerEnv): once per isolate. */
  configure(env: E): ConfigResult;
  /** The fetch that reaches upstream; global fetch when absent. */
  upstreamFetch?(env: E, ctx: ExecutionContext | undefined): Fetcher | undefined;
}

/** The answer to every /api call while the configuration is invalid: names the settings, never their values. */
function notConfigured(result: Extract<ConfigResult, { ok: false }>): ApiError {
  return new ApiError(503, 'not_configured', `The referral worker is not configured: ${describeProblems(result.problems)}.`, {
    // Any page may read why (no credentials, no data): the widget prints it.
    headers: { 'Access-Control-Allow-Origin': '*', 'Retry-After': '60' },
  });
}

/**
 * Middleware for every route that needs the configuration: sets `config` and `partnero`,
 * or answers 503 not_configured naming what is wrong (preflights get a readable 204).
 */
export function requireConfig<E extends Env>(composition: Composition<E>): MiddlewareHandler<{ Bindings: E; Variables: AppEnv['Variables'] }> {
  return async function requireConfig(c, next) {
    const result = composition.configure(c.env);
    if (!result.ok) {
      if (c.req.method === 'OPTIONS') return c.body(null, 204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Authorization, Content-Type' });
      throw notConfigured(result);
    }
    const config = result.config;
    c.set('config', config);
    c.set('partnero', (options = {}) =>
      upstreamClient(config, composition.upstreamFetch?.(c.env, executionCtx(c)), { ...options, onTiming: (entry) => recordUpstream(c, entry.ms) }),
    );
    await next();
  };
}

/**
 * The app: request id and log line on everything, `GET /healthz`, the widget API behind
 * the configuration check, one notFound (404, or 405 with Allow from Hono's route table)
 * and one onError. Paths the app does not serve are 404 even while the configuration is
 * invalid. The caller adds its own routes (the dev composition's /v1 and /demo) after.
 */
export function createApp<E extends Env>(composition: Composition<E>): Hono<{ Bindings: E; Variables: AppEnv['Variables'] }> {
  const app = new Hono<{ Bindings: E; Variables: AppEnv['Variables'] }>();

  app.use(requestId(), requestLog());

  /** `GET /healthz`: ok, or which settings are wrong (names only). Never cached. */
  app.get('/healthz', (c) => {
    const result = composition.configure(c.env);
    c.header('Cache-Control', 'no-store');
    const warnings = result.warnings.map((w) => ({ setting: w.setting, problem: w.problem }));
    if (!result.ok) return c.json({ status: 'not_configured', problems: result.problems, warnings }, 503);
    return c.json({ status: 'ok', warnings });
  });

  app.use('/api/*', requireConfig(composition));
  app.route('/api', api);

  app.notFound((c) => {
    const methods = allowedMethods(app, c.req.path);
    if (methods.length === 0) return errorResponse(c, new ApiError(404, 'not_found', 'No such endpoint.'));
    if (c.req.method === 'OPTIONS') return c.body(null, 204, { Allow: methods.join(', ') });
    return errorResponse(
      c,
      new ApiError(405, 'method_not_allowed', `Use ${methods.filter((m) => m !== 'HEAD' && m !== 'OPTIONS').join(' or ')} for this endpoint.`, {
        headers: { Allow: methods.join(', ') },
      }),
    );
  });
  app.onError(handleError);
  return app;
}

/** The composition's `queue` handler: the signup consumer with its configuration and upstream. */
export function createQueueHandler<E extends Env>(composition: Composition<E>) {
  return async function queue(batch: MessageBatch<unknown>, env: E, ctx: ExecutionContext): Promise<void> {
    const result = composition.configure(env);
    if (!result.ok) return handleQueue(batch, env, { problems: describeProblems(result.problems) });
    const config = result.config;
    return handleQueue(batch, env, { config, client: () => upstreamClient(config, composition.upstreamFetch?.(env, ctx)) });
  };
}
