import { Hono } from 'hono';
import type { AppEnv, Env } from './env';
import { localPartnero } from './local-partnero/app';
import { api } from './api/app';
import { demo } from './demo/app';
import { handleQueue } from './attribution/queue';

/**
 * The worker: the widget API under /api, the demo host's dev-only routes under /demo,
 * and — only when no PARTNERO_API_URL is configured — the local Partnero-compatible API
 * under /v1. Built browser bundles and demo pages are static assets (wrangler.toml [assets]).
 */
const app = new Hono<AppEnv>();

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

export { app };

export default {
  fetch: app.fetch,
  queue: (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => handleQueue(batch, env, ctx),
} satisfies ExportedHandler<Env>;
