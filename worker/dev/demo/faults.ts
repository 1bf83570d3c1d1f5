import { Hono } from 'hono';
import * as v from 'valibot';
import { readJson } from '../../api/input';
import { ApiError } from '../../errors';
import { usesLocalPartnero } from '../config';
import type { DevAppEnv as AppEnv } from '../env';
import { getLocalFault, localApiCalls, resetLocalApiCalls, setLocalFault } from '../local-partnero/faults';

const int = (min: number, max: number) =>
  v.pipe(v.number('Must be a number.'), v.integer('Must be a whole number.'), v.minValue(min, `Must be at least ${min}.`), v.maxValue(max, `Must be at most ${max}.`));

const faultSchema = v.union(
  [
    v.strictObject({ clear: v.literal(true) }),
    v.strictObject({
      status: int(100, 599),
      times: v.optional(int(0, 1_000_000)),
      delayMs: v.optional(int(0, 60_000)),
    }),
  ],
  'Send {status, times?, delayMs?} or {clear: true}.',
);

/** Fault injection and call counts of the local Partnero-compatible API (the demo's upstream). */
export const faults = new Hono<AppEnv>()
  .use('*', async (c, next) => {
    if (!usesLocalPartnero(c.env)) {
      throw new ApiError(409, 'not_configured', 'Faults and call counts exist only for the local Partnero-compatible API.');
    }
    await next();
  })
  .post('/fault', async (c) => {
    const input = await readJson(c, faultSchema);
    setLocalFault('clear' in input ? null : input);
    return c.json({ fault: getLocalFault() });
  })
  .get('/upstream-calls', (c) => c.json(localApiCalls()))
  .post('/upstream-calls/reset', (c) => {
    resetLocalApiCalls();
    return c.json(localApiCalls());
  });
