import type { Context } from 'hono';
import type { DevEnv } from '../env';

/** A request's parameters after Laravel's input handling (see input.ts). */
export type Input = Record<string, unknown>;

/** A webhook delivery waiting on the local API's webhook queue. */
export interface WebhookDeliveryMessage {
  type: 'local_partnero_webhook';
  delivery_id: string;
}

/** Bindings of the local API: the dev composition's, plus its webhook delivery queue. */
export interface LocalBindings extends DevEnv {
  /** Producer of webhook deliveries (wrangler.dev.toml); without it deliveries stay `pending`. */
  LOCAL_WEBHOOK_QUEUE?: Queue<WebhookDeliveryMessage>;
}

export interface LocalEnv {
  Bindings: LocalBindings;
  Variables: {
    /** Query string merged with the body, trimmed, empty strings null (input.ts). */
    input: Input;
  };
}

export type LocalContext = Context<LocalEnv>;
