import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Config } from '../config';
import type { AppEnv } from '../hono-env';
import { ApiError } from '../errors';

// One hono/body-limit per configuration: built when a Config is first seen (once per isolate).
const limits = new WeakMap<Config, MiddlewareHandler>();

function limitFor(config: Config): MiddlewareHandler {
  let limit = limits.get(config);
  if (!limit) {
    const maxSize = config.maxBodyBytes;
    limit = bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `The request body is larger than ${maxSize} bytes.`);
      },
    });
    limits.set(config, limit);
  }
  return limit;
}

/** hono/body-limit at MAX_BODY_BYTES, failing with 413 payload_too_large in the API's envelope. */
export function limitBody(): MiddlewareHandler<AppEnv> {
  return async function limitBody(c, next) {
    return limitFor(c.var.config)(c, next);
  };
}
