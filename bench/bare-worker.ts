/**
 * The throughput baseline: a bare Hono handler in the same runtime as the real worker,
 * answering `GET /api/me` with a body of the same bytes as a real cached answer (passed in
 * as the BARE_BODY var by the bench). It serializes per request, as the real one does.
 *
 * With BARE_LOG set it also writes one JSON log line per request shaped like the worker's
 * request log, which isolates what a log line costs under `wrangler dev`.
 */
import { Hono } from 'hono';

interface Bindings {
  BARE_BODY?: string;
  BARE_LOG?: string;
}

let body: unknown;

const app = new Hono<{ Bindings: Bindings }>();

app.get('/api/me', (c) => {
  body ??= JSON.parse(c.env.BARE_BODY ?? '{}');
  if (c.env.BARE_LOG) {
    console.log(
      JSON.stringify({
        level: 'info',
        msg: 'request',
        time: new Date().toISOString(),
        id: crypto.randomUUID(),
        method: 'GET',
        path: '/api/me',
        status: 200,
        ms: 0.1,
        upstream_ms: 0,
        upstream_calls: 0,
        customer: '0123456789abcdef',
      }),
    );
  }
  return c.json(body);
});

export default { fetch: app.fetch };
