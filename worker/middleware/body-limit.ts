import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../api/errors';
import type { AppEnv } from '../env';
import { intVar } from '../upstream';

/**
 * hono/body-limit with the size from MAX_BODY_BYTES (read per request, so each environment
 * and test can set it), failing with 413 payload_too_large in the widget API's envelope.
 */
export function bodyLimitFromEnv(): MiddlewareHandler<AppEnv> {
  return async function bodyLimitFromEnv(c, next) {
    const maxSize = intVar(c.env.MAX_BODY_BYTES, 16_384, 1, 10 * 1024 * 1024);
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `The request body is larger than ${maxSize} bytes.`);
      },
    })(c, next);
  };
}
