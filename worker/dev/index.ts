/** The dev composition's entry (wrangler.dev.toml): interim, until the production entry stops mounting dev routes. */
import production, { app } from '../index';
import type { LocalBindings } from './local-partnero/env';
import { handleWebhookQueue, isLocalWebhookQueue } from './local-partnero/webhooks/deliver';

export { app };

export default {
  fetch: production.fetch,
  // ---- local Partnero API webhook deliveries (issue 10): its two queues go to its consumer,
  // ---- every other queue to the production handler, unchanged.
  queue: (batch: MessageBatch<unknown>, env: LocalBindings, ctx: ExecutionContext) =>
    isLocalWebhookQueue(batch.queue) ? handleWebhookQueue(batch, env) : production.queue(batch, env, ctx),
} satisfies ExportedHandler<LocalBindings>;
