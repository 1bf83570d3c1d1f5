/**
 * The configuration is parsed once per env object into a Config, or into problems that
 * name the setting (never its value): every /api answer is then 503 not_configured, the log
 * gets one line, and GET /healthz says what is wrong.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NUMERIC_SETTINGS, oncePerEnv, parseConfig, type ConfigResult } from '../../worker/config';
import type { Env } from '../../worker/env';
import { parseDevConfig } from '../../worker/dev/config';
import { api, tokenFor, uniqueKey } from './helpers/api-client';

const SECRET = 's'.repeat(32);
const VALID: Env = { PARTNERO_API_URL: 'https://api.partnero.com/v1', PARTNERO_API_KEY: 'pk_live_abc', TOKEN_SECRET: SECRET };

function problems(result: ConfigResult): Record<string, string> {
  return result.ok ? {} : Object.fromEntries(result.problems.map((p) => [p.setting, p.problem]));
}

afterEach(() => vi.restoreAllMocks());

describe('parseConfig (production rules)', () => {
  it('accepts the minimum: Partnero URL and key, a 32-byte secret; defaults for the rest', () => {
    const result = parseConfig(VALID);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      tokens: { secrets: [SECRET], audience: 'referral-widget', maxAgeSeconds: 3600 },
      upstream: { baseUrl: 'https://api.partnero.com/v1', apiKey: 'pk_live_abc', timeoutMs: 5000 },
      meCache: { freshMs: 30_000, staleMs: 3_600_000 },
      maxBodyBytes: 16_384,
      rateLimits: true,
    });
    expect(result.warnings.map((w) => w.setting)).toEqual(['ALLOWED_ORIGINS']);
  });

  it('refuses a short or missing TOKEN_SECRET, and a short TOKEN_SECRET_PREVIOUS', () => {
    expect(problems(parseConfig({ ...VALID, TOKEN_SECRET: 'short' }))).toEqual({ TOKEN_SECRET: 'must be at least 32 bytes' });
    expect(problems(parseConfig({ ...VALID, TOKEN_SECRET: '' }))).toHaveProperty('TOKEN_SECRET', expect.stringContaining('is required'));
    expect(problems(parseConfig({ ...VALID, TOKEN_SECRET_PREVIOUS: 'old' }))).toEqual({ TOKEN_SECRET_PREVIOUS: 'must be at least 32 bytes' });
    // Bytes, not characters: 11 three-byte characters are 33 bytes.
    expect(parseConfig({ ...VALID, TOKEN_SECRET: '€'.repeat(11) }).ok).toBe(true);
  });

  it('wants PARTNERO_API_URL over https, and PARTNERO_API_KEY with it', () => {
    expect(problems(parseConfig({ ...VALID, PARTNERO_API_URL: '' }))).toHaveProperty('PARTNERO_API_URL');
    expect(problems(parseConfig({ ...VALID, PARTNERO_API_URL: 'http://api.partnero.com/v1' }))).toEqual({ PARTNERO_API_URL: 'must be an https URL' });
    expect(problems(parseConfig({ ...VALID, PARTNERO_API_URL: 'http://localhost:9000/v1' }))).toEqual({ PARTNERO_API_URL: 'must be an https URL' });
    expect(problems(parseConfig({ ...VALID, PARTNERO_API_URL: 'not a url' }))).toHaveProperty('PARTNERO_API_URL');
    expect(problems(parseConfig({ ...VALID, PARTNERO_API_KEY: '' }))).toEqual({ PARTNERO_API_KEY: expect.stringContaining('is required with PARTNERO_API_URL') });
  });

  it('checks every ALLOWED_ORIGINS entry is an origin', () => {
    const ok = parseConfig({ ...VALID, ALLOWED_ORIGINS: ' https://www.example.com, http://localhost:3000 ,https://app.example.com/' });
    expect(ok.ok && [...ok.config.allowedOrigins]).toEqual(['https://www.example.com', 'http://localhost:3000', 'https://app.example.com']);
    for (const bad of ['*', 'www.example.com', 'https://example.com/path', 'ftp://example.com', 'https://user@example.com']) {
      expect(problems(parseConfig({ ...VALID, ALLOWED_ORIGINS: `https://ok.example, ${bad}` })), bad).toHaveProperty('ALLOWED_ORIGINS');
    }
  });

  it('keeps every numeric setting within its documented range', () => {
    for (const [name, { min, max }] of Object.entries(NUMERIC_SETTINGS)) {
      expect(parseConfig({ ...VALID, [name]: String(min) }).ok, `${name}=${min}`).toBe(true);
      expect(parseConfig({ ...VALID, [name]: String(max) }).ok, `${name}=${max}`).toBe(true);
      expect(problems(parseConfig({ ...VALID, [name]: String(max + 1) })), `${name}=${max + 1}`).toEqual({ [name]: `must be at most ${max}` });
      if (min > 0) expect(problems(parseConfig({ ...VALID, [name]: String(min - 1) }))).toEqual({ [name]: `must be at least ${min}` });
      expect(problems(parseConfig({ ...VALID, [name]: '12abc' }))).toEqual({ [name]: 'must be a whole number' });
    }
  });

  it('names every wrong setting at once, and never a value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...Object.keys(NUMERIC_SETTINGS), 'TOKEN_SECRET', 'PARTNERO_API_URL', 'ALLOWED_ORIGINS', 'TOKEN_SECRET_PREVIOUS'), fc.string({ minLength: 4, maxLength: 40 })), (vars) => {
        const result = parseConfig({ ...VALID, ...vars });
        if (result.ok) return;
        const text = JSON.stringify(result.problems);
        for (const value of Object.values(vars)) if (value.trim().length >= 4 && !/^\d+$/.test(value)) expect(text).not.toContain(JSON.stringify(value).slice(1, -1));
        expect(new Set(result.problems.map((p) => p.setting)).size).toBe(result.problems.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseDevConfig (the dev composition)', () => {
  it('falls back to the dev secret and the local API, and allows http to localhost only', () => {
    const dev = parseDevConfig({ LOCAL_API_KEY: 'local_dev_key' });
    expect(dev.ok && dev.config.upstream).toEqual({ baseUrl: 'http://local-partnero.internal/v1', apiKey: 'local_dev_key', timeoutMs: 5000 });
    expect(dev.ok && dev.config.tokens.secrets.length).toBe(1);
    expect(parseDevConfig({ PARTNERO_API_URL: 'http://127.0.0.1:9000/v1', PARTNERO_API_KEY: 'k' }).ok).toBe(true);
    expect(problems(parseDevConfig({ PARTNERO_API_URL: 'http://partnero.example/v1', PARTNERO_API_KEY: 'k' }))).toHaveProperty('PARTNERO_API_URL');
    expect(parseDevConfig({ DISABLE_RATE_LIMITS: 'true' }).ok && parseDevConfig({ DISABLE_RATE_LIMITS: 'true' })).toMatchObject({ config: { rateLimits: false } });
  });
});

describe('oncePerEnv', () => {
  it('parses (and logs) once per env object', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const parse = vi.fn((env: Env) => parseConfig(env));
    const configure = oncePerEnv(parse);
    const env: Env = { ...VALID, TOKEN_SECRET: 'short' };
    for (let i = 0; i < 5; i += 1) configure(env);
    configure({ ...env });
    expect(parse).toHaveBeenCalledTimes(2);
    const lines = errors.mock.calls.map(([l]) => JSON.parse(String(l)) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'error', settings: 'TOKEN_SECRET', msg: expect.stringContaining('not_configured') });
    expect(JSON.stringify(lines)).not.toContain('"short"');
  });
});

describe('an invalid configuration, as the browser and the operator see it', () => {
  const broken = { TOKEN_SECRET: 'short', PARTNERO_API_URL: 'https://partnero.example/v1', PARTNERO_API_KEY: '' };

  it('answers every /api call 503 not_configured naming the settings, readable from any origin', async () => {
    const token = await tokenFor(uniqueKey());
    for (const [method, path] of [['GET', '/api/me'], ['POST', '/api/signup'], ['POST', '/api/clicks'], ['GET', '/api/nope']] as const) {
      const res = await api(path, { method, token, production: true, env: broken, headers: { Origin: 'https://shop.example' } });
      expect(res.status, path).toBe(503);
      expect(res.body.error.code).toBe('not_configured');
      expect(res.body.error.message).toContain('TOKEN_SECRET must be at least 32 bytes');
      expect(res.body.error.message).toContain('PARTNERO_API_KEY is required');
      expect(res.text).not.toContain('short');
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    }
  });

  it('answers GET /healthz with the problems (names only), and ok once fixed', async () => {
    const bad = await api('/healthz', { production: true, env: broken });
    expect(bad.status).toBe(503);
    expect(bad.body).toEqual({
      status: 'not_configured',
      problems: [
        { setting: 'TOKEN_SECRET', problem: 'must be at least 32 bytes' },
        { setting: 'PARTNERO_API_KEY', problem: expect.stringContaining('is required') },
      ],
      warnings: [],
    });
    const good = await api('/healthz', { production: true, env: { PARTNERO_API_URL: 'https://partnero.example/v1', PARTNERO_API_KEY: 'pk_x', ALLOWED_ORIGINS: 'https://shop.example' } });
    expect(good.status).toBe(200);
    expect(good.body).toEqual({ status: 'ok', warnings: [] });
    expect(good.headers.get('Cache-Control')).toBe('no-store');
  });

  it('still answers 404 for paths the production worker does not serve', async () => {
    for (const path of ['/v1/customers', '/demo/token?customer=alice', '/demo/']) {
      const res = await api(path, { production: true, env: broken });
      expect(res.status, path).toBe(404);
    }
  });
});
