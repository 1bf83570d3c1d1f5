import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';

it('answers unknown routes with the widget API envelope', async () => {
  const res = await exports.default.fetch('http://x/nope');
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No such endpoint.' } });
});
