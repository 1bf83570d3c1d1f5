/**
 * The dev composition (wrangler.dev.toml `main`): the production app plus what only
 * `npm start`, the demo and the tests may have:
 *   /v1     the local Partnero-compatible API on D1, the upstream when PARTNERO_API_URL is empty
 *   /demo   token minting for any customer, simulated purchases, fault injection
 *   /       a redirect to the demo host pages (dist/dev/demo)
 * and a built-in dev token secret (see ./config.ts). Never deployed.
 */
import { createApp, createQueueHandler, requireConfig, type Composition } from '../app';
import { configureDev, usesLocalPartnero } from './config';
import { demo } from './demo/app';
import type { DevEnv } from './env';
import { localPartnero } from './local-partnero/app';
import type { LocalBindings } from './local-partnero/env';
import { handleWebhookQueue, isLocalWebhookQueue } from './local-partnero/webhooks/deliver';
import { localFetch } from './upstream';

export const dev: Composition<DevEnv> = { configure: configureDev, upstreamFetch: localFetch };

export const app = createApp(dev);

app.all('/v1/*', (c) => {
  if (!usesLocalPartnero(c.env)) return c.json({ message: 'Not Found' }, 404);
  return localPartnero.fetch(c.req.raw, c.env, c.executionCtx);
});
app.use('/demo/*', requireConfig(dev));
app.route('/demo', demo);
app.get('/', (c) => c.redirect('/demo/', 302));

const productionQueue = createQueueHandler(dev);

export default {
  fetch: app.fetch,
  // ---- local Partnero API webhook deliveries (issue 10): its two queues go to its consumer,
  // ---- every other queue to the production handler, unchanged.
  queue: (batch: MessageBatch<unknown>, env: LocalBindings, ctx: ExecutionContext) =>
    isLocalWebhookQueue(batch.queue) ? handleWebhookQueue(batch, env) : productionQueue(batch, env, ctx),
} satisfies ExportedHandler<LocalBindings>;
