/**
 * Laravel's input semantics, in one place for every route (worker/dev/local-partnero/input.ts):
 * query merged with the body on every method (body wins), [] and {} empty, strings trimmed,
 * empty strings null, unknown fields ignored. Unit cases and properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalize, parseParams } from '../../worker/dev/local-partnero/input';
import { call, createCustomer, snapshot, uid } from './helpers/local-api';

describe('parseParams and normalize', () => {
  it('nests PHP brackets, appends [], keeps the last plain repeat', () => {
    const params = new URLSearchParams('a=1&a=2&customer[key]=k&customer[email]=e&events[]=x&events[]=y&deep[a][b]=c');
    expect(parseParams(params)).toEqual({ a: '2', customer: { key: 'k', email: 'e' }, events: ['x', 'y'], deep: { a: { b: 'c' } } });
  });

  it('keeps __proto__ and constructor as plain data', () => {
    const parsed = parseParams(new URLSearchParams('__proto__[polluted]=1&constructor[prototype][x]=2'));
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(parsed).sort()).toEqual(['__proto__', 'constructor']);
    const normalized = normalize(JSON.parse('{"__proto__": {"x": " y "}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(normalized)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(normalized, '__proto__')?.value).toEqual({ x: 'y' });
  });

  it('trims strings and nulls empty ones at every depth, leaving other values alone', () => {
    expect(normalize({ a: '  x ', b: '', c: '   ', d: [' y', ''], e: { f: '\t' }, g: 0, h: false, i: null })).toEqual({
      a: 'x',
      b: null,
      c: null,
      d: ['y', null],
      e: { f: null },
      g: 0,
      h: false,
      i: null,
    });
  });
});

describe('over HTTP', () => {
  it('merges the query with the body on GET, the body winning on a clash', async () => {
    await createCustomer();
    await createCustomer();
    const res = await call('GET', '/v1/customers?limit=1&page=2', { limit: 2 });
    expect(res.status).toBe(200);
    expect(res.body.meta).toMatchObject({ per_page: 2, current_page: 2 });
  });

  it('merges the query with the body on POST too', async () => {
    const key = uid('q');
    const res = await call('POST', `/v1/customers?key=${key}&name=Query`, { name: 'Body' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: key, name: 'Body' });
  });

  it('reads a form-encoded body as PHP would', async () => {
    const key = uid('form');
    const res = await call('POST', '/v1/customers', undefined, {
      raw: `key=${key}&name=+Form+&referring_customer[key]=`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: key, name: 'Form', referring_customer: null });
  });

  it.each(['[]', '{}', 'null', '', '  \n'])('reads %j as no input', async (raw) => {
    const c = await createCustomer({ name: 'Kept' });
    const res = await call('PUT', `/v1/customers/${c.id}`, undefined, { raw });
    expect(res.status).toBe(200);
    expect(res.body.data.name).toBe('Kept');
  });

  it('ignores unknown fields, even ones shaped like nothing we know', async () => {
    const key = uid('extra');
    const res = await call('POST', '/v1/customers', { key, partner: { key: 'aff' }, password: 'x', custom: [1, { a: 2 }], update: 7 });
    expect(res.status).toBe(200);
    expect(res.body.data.id).toBe(key);
  });

  it('refuses input nested too deeply with 400, never a 500', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const res = await call('POST', '/v1/customers', undefined, { raw: `{"metadata": ${deep}}` });
    expect(res.status).toBe(400);
    const query = await call('GET', `/v1/customers?a${'[x]'.repeat(100)}=1`);
    expect(query.status).toBe(400);
  });
});

/** Whitespace Laravel's TrimStrings removes (PHP trim: space, \t, \n, \r, \0, \x0B). */
const pad = fc.constantFrom('', ' ', '  ', '\t', '\n', ' \r\n ');
const text = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '' && s.trim() === s);

describe('properties', () => {
  it('a GET body means what the same parameters mean in the query string', async () => {
    for (let i = 0; i < 3; i++) await createCustomer({ referring_customer: { key: (await createCustomer()).key } });
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            limit: fc.integer({ min: 1, max: 250 }),
            page: fc.integer({ min: 1, max: 4 }),
            refer_status: fc.constantFrom('referred', 'non_referred'),
            sort: fc.constantFrom('asc', 'desc'),
          },
          { requiredKeys: [] },
        ),
        async (params) => {
          const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
          const viaQuery = await call('GET', `/v1/customers?${query}`);
          const viaBody = await call('GET', '/v1/customers', params);
          expect(viaBody.status).toBe(200);
          expect(viaBody.body.data).toEqual(viaQuery.body.data);
          expect(viaBody.body.meta.per_page).toBe(params.limit ?? 15);
          expect(viaBody.body.meta.current_page).toBe(params.page ?? 1);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('any JSON body on GET is a 200 or a 4xx with a message, never a 500, and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom('limit', 'page', 'sort', 'refer_status', 'id', 'key', 'email'), fc.jsonValue({ maxDepth: 2 }))), async (body) => {
        const before = await snapshot();
        for (const path of ['/v1/customers', '/v1/customers:search', '/v1/transactions', '/v1/webhooks']) {
          const res = await call('GET', path, body);
          expect([200, 400, 422], `${path} ${JSON.stringify(body)} -> ${res.status}`).toContain(res.status);
          if (res.status !== 200) expect(typeof res.body.message).toBe('string');
        }
        expect(await snapshot()).toBe(before);
      }),
      { numRuns: 30 },
    );
  });

  it('a flat update equals the wrapped one; padding is trimmed and blank fields change nothing', async () => {
    const original = { name: 'Orig', surname: 'Inal', email: 'orig@example.com' };
    const field = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), value: text, before: pad, after: pad }),
      fc.record({ kind: fc.constant('blank' as const), value: fc.constantFrom('', ' ', '\t') }),
      fc.constant({ kind: 'absent' as const }),
    );
    await fc.assert(
      fc.asyncProperty(field, field, async (name, surname) => {
        const a = await createCustomer(original);
        const b = await createCustomer(original);
        const fields: Record<string, string> = {};
        const expected: Record<string, string> = { name: original.name, surname: original.surname };
        for (const [key, spec] of [['name', name], ['surname', surname]] as const) {
          if (spec.kind === 'set') {
            fields[key] = `${spec.before}${spec.value}${spec.after}`;
            expected[key] = spec.value;
          } else if (spec.kind === 'blank') fields[key] = spec.value;
        }
        const flat = await call('PUT', `/v1/customers/${a.id}`, fields);
        const wrapped = await call('PUT', `/v1/customers/${b.id}`, { update: fields });
        expect(flat.status).toBe(200);
        expect(wrapped.status).toBe(200);
        expect(flat.body.data).toMatchObject({ ...expected, email: original.email });
        expect(wrapped.body.data).toMatchObject({ ...expected, email: original.email });
      }),
      { numRuns: 25 },
    );
  });
});
