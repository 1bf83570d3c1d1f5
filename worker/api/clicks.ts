import type { Handler } from 'hono';
import * as v from 'valibot';
import { afterResponse } from '../context';
import type { AppEnv } from '../hono-env';
import { log } from '../log';
import { checkRateLimit, clientIp } from '../middleware/rate-limit';
import { customerKeySchema, readJson } from './input';

const clickSchema = v.object({
  referral_key: customerKeySchema,
  url: v.optional(
    v.pipe(v.string('Must be a string.'), v.maxLength(2048, 'Must be at most 2048 characters.'), v.regex(/^https?:\/\//i, 'Must be an http(s) URL.'), v.url('Must be a URL.')),
  ),
});

/**
 * `POST /api/clicks {referral_key, url?}` (public: attribution.js on landing pages, no
 * token). Always 204 for a well-formed click, whether or not the referrer exists and
 * whether or not upstream is up: the answer must not reveal which keys exist, and it is
 * recorded after the response (waitUntil) so timing does not reveal it either.
 * Accepts `text/plain` bodies too, so the script can send it as a CORS "simple" request or
 * a beacon. Limited per IP and referrer (RL_WRITE) on top of the per-IP limit.
 */
export const clicks: Handler<AppEnv> = async (c) => {
  const input = await readJson(c, clickSchema, { acceptText: true });
  await checkRateLimit(c, 'RL_WRITE', `click:${clientIp(c)}:${input.referral_key}`);
  const requestId = c.get('requestId');
  const env = c.env;
  const recording = c.var
    .partnero()
    .recordClick({ key: input.referral_key, ...(input.url ? { url: input.url } : {}) })
    .then(
      () => undefined,
      (err: unknown) => {
        log('info', 'click not recorded', { id: requestId, error: err instanceof Error ? err.message : String(err) }, env);
      },
    );
  await afterResponse(c, recording);
  return c.body(null, 204);
};
