/**
 * The curl examples of Partnero's customers API page, run with the real `curl` against the
 * local API (`wrangler dev`), host swapped: each must answer as the page shows.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startWorker, type RunningWorker } from './harness';

const SPEC = join(ROOT, '..', 'shared', 'spec', 'partnero-refer-a-friend-customers-api.txt');
const PAGE_HOST = 'https://api.partnero.com';
const KEY = 'e2e_local_key';
/**
 * The page was scraped through an email obfuscator, which replaced every address with
 * "[email protected]" (with a no-break space inside).
 */
const SCRAPED_EMAIL = /\[email\s+protected\]/gu;
const PLACEHOLDER = '[email protected]';
const ALICE = 'alice@example.com';
const JANE = 'jane@example.com';

interface Example {
  argv: string[];
  /** Offset in the page, to find the response shown after it. */
  end: number;
}

/** Splits a shell command the way sh would for the syntax the page uses. */
function parseShell(text: string, start: number): { argv: string[]; end: number } {
  const argv: string[] = [];
  let current: string | null = null;
  let i = start;
  const push = () => {
    if (current !== null) argv.push(current);
    current = null;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (ch === '\n') break;
    if (ch === ' ' || ch === '\t') {
      push();
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const close = text.indexOf(ch, i + 1);
      if (close < 0) throw new Error(`unterminated quote at ${i}`);
      current = (current ?? '') + text.slice(i + 1, close);
      i = close + 1;
      continue;
    }
    current = (current ?? '') + ch;
    i++;
  }
  push();
  return { argv, end: i };
}

/**
 * The examples: every `curl` aimed at Partnero's API host, in page order. (The page header's
 * `curl --request POST --url https://api.example.com/...` is navigation chrome, not an example.)
 */
function extractExamples(page: string): Example[] {
  const out: Example[] = [];
  let from = 0;
  for (;;) {
    const at = page.indexOf('curl --location', from);
    if (at < 0) return out;
    const { argv, end } = parseShell(page, at);
    if (argv.some((a) => a.startsWith(PAGE_HOST))) out.push({ argv, end });
    from = end;
  }
}

/** The JSON object that starts at the first `{` after `from`. */
function jsonAfter(text: string, from: number): unknown {
  const start = text.indexOf('{', from);
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return JSON.parse(text.slice(start, i + 1));
  }
  throw new Error('no JSON object found');
}

/** Swaps the host, the key and the scraped email for the local ones. */
function localise(argv: string[], url: string): string[] {
  const isInvite = argv.some((a) => a.includes('customers:invite'));
  return argv.map((arg) =>
    arg
      .replace(PAGE_HOST, url)
      .replace('YOUR_API_KEY', KEY)
      // The obfuscator swallowed `search?email=` together with the address in the search URL.
      .replace(new RegExp(`customers:${SCRAPED_EMAIL.source}`, 'u'), `customers:search?email=${encodeURIComponent(ALICE)}`)
      .replaceAll(SCRAPED_EMAIL, isInvite ? JANE : ALICE),
  );
}

const run = promisify(execFile);

async function curl(argv: string[]): Promise<{ status: number; body: any }> { // `any`: each assertion names the fields it reads
  const [, ...args] = argv;
  const { stdout } = await run('curl', [...args, '--silent', '--show-error', '--write-out', '\n%{http_code}'], { timeout: 30_000 });
  const cut = stdout.lastIndexOf('\n');
  const text = stdout.slice(0, cut);
  return { status: Number(stdout.slice(cut + 1)), body: text ? JSON.parse(text) : null };
}

/** "METHOD /path" of an example, as curl would send it. */
function describeExample(argv: string[]): string {
  const at = argv.indexOf('--request');
  const method = at >= 0 ? argv[at + 1] : argv.includes('--data') ? 'POST' : 'GET';
  const url = argv.find((a) => a.startsWith(PAGE_HOST)) ?? '';
  return `${method} ${url.slice(PAGE_HOST.length).replaceAll(SCRAPED_EMAIL, PLACEHOLDER)}`;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const page = readFileSync(SPEC, 'utf8');
const examples = extractExamples(page);

let worker: RunningWorker;
beforeAll(async () => {
  worker = await startWorker({ vars: { LOCAL_API_KEY: KEY, REFERRAL_LINK_BASE: 'https://yoursite.com' } });
});
afterAll(async () => {
  await worker?.stop();
});

describe('curl examples of the customers API page', () => {
  it('finds every example on the page, create first', () => {
    expect(examples.map((e) => describeExample(e.argv))).toEqual([
      'POST /v1/customers',
      'GET /v1/customers?refer_status=referred',
      'GET /v1/customers/customer_123',
      'PUT /v1/customers/customer_123',
      'DELETE /v1/customers/customer_123',
      'POST /v1/customers/customer_123/archive',
      'POST /v1/customers/customer_123/revoke-archive',
      'POST /v1/customers:invite',
      `GET /v1/customers:${PLACEHOLDER}`,
      'GET /v1/customers/customer_123/stats',
      'GET /v1/customers/customer_123/referrals',
      'GET /v1/customers/customer_123/transactions',
      'GET /v1/customers/customer_123/balance',
      'POST /v1/customers/customer_123/balance/credit',
    ]);
  });

  it('answers each as the page shows, in page order', async () => {
    const [create] = examples;
    if (!create) throw new Error('no create example');
    const documented = jsonAfter(page, page.indexOf('Response', create.end)) as { data: Record<string, unknown>; status: number };
    const expectedData = JSON.parse(JSON.stringify(documented.data).replaceAll(SCRAPED_EMAIL, ALICE)) as Record<string, unknown>;
    const checkCreated = (body: any) => { // `any`: the answer is compared field by field
      expect(body.status).toBe(documented.status);
      for (const [field, value] of Object.entries(expectedData)) {
        if (field === 'created_at' || field === 'updated_at') expect(body.data[field], field).toMatch(TIMESTAMP);
        else expect(body.data[field], field).toEqual(value);
      }
    };

    for (const example of examples) {
      const name = describeExample(example.argv);
      const { status, body } = await curl(localise(example.argv, worker.url));
      expect(status, `${name}: ${JSON.stringify(body)}`).toBe(200);
      expect(body.status, name).toBe(1);
      expect(body, name).toHaveProperty('data');

      switch (name) {
        case 'POST /v1/customers':
          checkCreated(body);
          break;
        case 'GET /v1/customers?refer_status=referred':
          expect(body.data).toEqual([]);
          expect(body.meta).toMatchObject({ current_page: 1, total: 0, per_page: 15 });
          expect(Object.keys(body.links).sort()).toEqual(['first', 'last', 'next', 'prev']);
          break;
        case 'GET /v1/customers/customer_123':
          checkCreated(body);
          break;
        case 'PUT /v1/customers/customer_123':
          expect(body.data).toMatchObject({ id: 'customer_123', name: 'Amanda', surname: 'Brown', metadata: { date_of_birth: '1990-01-15' } });
          break;
        case 'DELETE /v1/customers/customer_123': {
          const gone = await curl(localise(examples[2]!.argv, worker.url));
          expect(gone.status).toBe(404);
          expect(gone.body).toEqual({ message: 'Customer not found.' });
          // The examples after this one address customer_123 again: create it anew, as the page would have you.
          checkCreated((await curl(localise(create.argv, worker.url))).body);
          break;
        }
        case 'POST /v1/customers/customer_123/archive':
          expect(body.data).toMatchObject({ id: 'customer_123', status: 'deleted' });
          break;
        case 'POST /v1/customers/customer_123/revoke-archive':
          expect(body.data).toMatchObject({ id: 'customer_123', status: 'active' });
          break;
        case 'POST /v1/customers:invite':
          expect(body.data).toMatchObject({ email: JANE, name: 'Jane' });
          break;
        case `GET /v1/customers:${PLACEHOLDER}`:
          expect(body.data.map((c: { id: string; email: string }) => [c.id, c.email])).toEqual([['customer_123', ALICE]]);
          break;
        case 'GET /v1/customers/customer_123/stats':
          expect(body.data).toMatchObject({
            customer: { id: 'customer_123' },
            clicks_count: 0,
            referrals_count: 0,
            referral_link: 'https://yoursite.com?ref=customer_123',
          });
          expect(Object.keys(body.data.social_share_links).length).toBeGreaterThan(0);
          break;
        case 'GET /v1/customers/customer_123/referrals':
        case 'GET /v1/customers/customer_123/transactions':
          expect(body.data).toEqual([]);
          expect(body.meta).toMatchObject({ total: 0, current_page: 1 });
          break;
        case 'GET /v1/customers/customer_123/balance':
          expect(body.data).toMatchObject({ customer: { id: 'customer_123' }, balance: { currency: [] } });
          break;
        case 'POST /v1/customers/customer_123/balance/credit':
          expect(body.data.balance.currency).toEqual([{ amount: 10, amount_units: 'USD', is_currency: true }]);
          break;
        default:
          throw new Error(`unexpected example ${name}`);
      }
    }
  });

  it('refuses the examples without the key', async () => {
    const [create] = examples;
    const argv = localise(create!.argv, worker.url).map((a) => a.replace(`Bearer ${KEY}`, 'Bearer wrong'));
    const { status, body } = await curl(argv);
    expect(status).toBe(401);
    expect(body).toEqual({ message: 'Unauthenticated.' });
  });
});
