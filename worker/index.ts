/**
 * The production worker (wrangler.toml `main`): the widget API, signup attribution and its
 * queue consumer. It imports nothing from worker/dev/: the local Partnero API, the demo
 * routes and the dev token secret cannot reach a deployment (a test greps the bundle
 * `wrangler deploy --dry-run` produces).
 */
import { createApp, createQueueHandler, type Composition } from './app';
import { oncePerEnv, parseConfig } from './config';
import type { Env } from './env';

/** Production: Partnero over HTTPS, every setting from wrangler.toml vars and secrets. */
export const production: Composition = { configure: oncePerEnv((env) => parseConfig(env)) };

export const app = createApp(production);

export default {
  fetch: app.fetch,
  queue: createQueueHandler(production),
} satisfies ExportedHandler<Env>;
