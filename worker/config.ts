/**
 * The worker's configuration: `env` parsed and validated once per isolate (per env object)
 * into a typed Config, or into the list of settings that are wrong. Every limit a setting
 * may take is defined here and nowhere else.
 *
 * A problem names the setting and what is wrong with it, never its value: the problems
 * travel to the 503 `not_configured` answers, the log and `GET /healthz`.
 */
import * as v from 'valibot';
import { TOKEN_RULES } from '../shared/referral-token.js';
import type { Env } from './env';
import { log } from './log';

const { minSecretBytes, maxAgeSeconds: tokenMaxAge } = TOKEN_RULES;

/** Range and default of every numeric setting: the one definition of each limit. */
export const NUMERIC_SETTINGS = {
  // The token rules' range (shared/referral-token.js), which the mint helpers check too.
  TOKEN_MAX_AGE_SECONDS: { min: tokenMaxAge.min, max: tokenMaxAge.max, fallback: tokenMaxAge.default },
  ME_CACHE_TTL_SECONDS: { min: 0, max: 86_400, fallback: 30 },
  ME_STALE_TTL_SECONDS: { min: 0, max: 604_800, fallback: 3600 },
  UPSTREAM_TIMEOUT_MS: { min: 50, max: 60_000, fallback: 5000 },
  MAX_BODY_BYTES: { min: 1024, max: 1_048_576, fallback: 16_384 },
} as const;

export type NumericSetting = keyof typeof NUMERIC_SETTINGS;

export interface Config {
  tokens: {
    /** Newest first: the current secret, then the previous one during a rotation. */
    secrets: readonly string[];
    audience: string;
    maxAgeSeconds: number;
  };
  upstream: {
    /** Partnero's API base, no trailing slash. */
    baseUrl: string;
    apiKey: string;
    timeoutMs: number;
  };
  /** Browser origins allowed to call /api (exact `scheme://host[:port]`). */
  allowedOrigins: ReadonlySet<string>;
  meCache: { freshMs: number; staleMs: number };
  maxBodyBytes: number;
  /** Off only in the dev composition, for benchmarks. */
  rateLimits: boolean;
}

/** One wrong setting: its name and what is wrong (never its value). */
export interface ConfigProblem {
  setting: string;
  problem: string;
}

export type ConfigResult =
  | { ok: true; config: Config; warnings: ConfigProblem[] }
  | { ok: false; problems: ConfigProblem[]; warnings: ConfigProblem[] };

export interface ConfigRules {
  /** Plain http to localhost / 127.0.0.1 for PARTNERO_API_URL: the dev composition only. */
  allowLoopbackHttp?: boolean;
  /** The upstream used when PARTNERO_API_URL is empty (the dev composition's local API); production has none. */
  defaultUpstream?: { baseUrl: string; apiKey: string };
}

const encoder = new TextEncoder();

const optionalText = v.optional(v.pipe(v.string(), v.trim()), '');

const secret = (required: boolean) =>
  v.pipe(
    optionalText,
    v.check((s) => !required || s !== '', 'is required (wrangler secret put, or .dev.vars locally)'),
    v.check((s) => s === '' || encoder.encode(s).length >= minSecretBytes, `must be at least ${minSecretBytes} bytes`),
  );

const integer = (name: NumericSetting) => {
  const { min, max, fallback } = NUMERIC_SETTINGS[name];
  return v.pipe(
    optionalText,
    v.check((s) => s === '' || /^\d{1,9}$/.test(s), 'must be a whole number'),
    v.transform((s) => (s === '' ? fallback : Number(s))),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );
};

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/** A URL's origin when `text` is exactly an origin (no path, query or credentials), else null. */
export function exactOrigin(text: string): string | null {
  try {
    const url = new URL(text);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    if (url.username || url.password || url.search || url.hash || url.pathname !== '/') return null;
    return text.replace(/\/$/, '') === url.origin ? url.origin : null;
  } catch {
    return null;
  }
}

const origins = v.pipe(
  optionalText,
  v.transform((s) => s.split(',').map((o) => o.trim()).filter((o) => o !== '')),
  v.check(
    (list) => list.every((o) => exactOrigin(o) !== null),
    'must be comma-separated origins like https://www.example.com (scheme and host, no path, no "*")',
  ),
  v.transform((list) => new Set(list.map((o) => exactOrigin(o) ?? o))),
);

function upstreamUrl(rules: ConfigRules) {
  return v.pipe(
    optionalText,
    v.check((s) => s !== '' || rules.defaultUpstream !== undefined, 'is required (Partnero\'s API, https://api.partnero.com/v1)'),
    v.check((s) => {
      if (s === '') return true;
      try {
        const url = new URL(s);
        if (url.username || url.password || url.search || url.hash) return false;
        return url.protocol === 'https:' || (rules.allowLoopbackHttp === true && url.protocol === 'http:' && isLoopback(url.hostname));
      } catch {
        return false;
      }
    }, rules.allowLoopbackHttp ? 'must be an https URL (or http to localhost)' : 'must be an https URL'),
  );
}

function schemaFor(rules: ConfigRules) {
  return v.object({
    PARTNERO_API_URL: upstreamUrl(rules),
    PARTNERO_API_KEY: optionalText,
    TOKEN_SECRET: secret(true),
    TOKEN_SECRET_PREVIOUS: secret(false),
    TOKEN_AUDIENCE: v.pipe(optionalText, v.maxLength(200, 'must be at most 200 characters')),
    TOKEN_MAX_AGE_SECONDS: integer('TOKEN_MAX_AGE_SECONDS'),
    ALLOWED_ORIGINS: origins,
    ME_CACHE_TTL_SECONDS: integer('ME_CACHE_TTL_SECONDS'),
    ME_STALE_TTL_SECONDS: integer('ME_STALE_TTL_SECONDS'),
    UPSTREAM_TIMEOUT_MS: integer('UPSTREAM_TIMEOUT_MS'),
    MAX_BODY_BYTES: integer('MAX_BODY_BYTES'),
  });
}

type Raw = Record<string, unknown>;

/** The string vars of `env` (bindings and objects left out: they are not settings). */
function settingsOf(env: Env): Raw {
  const raw: Raw = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') raw[name] = value;
  return raw;
}

/**
 * Parses `env` into a Config. Never throws: whatever is wrong is reported, setting by
 * setting, so one request can name every problem at once.
 */
export function parseConfig(env: Env, rules: ConfigRules = {}): ConfigResult {
  const raw = settingsOf(env);
  const result = v.safeParse(schemaFor(rules), raw, { abortEarly: false });
  const warnings: ConfigProblem[] = [];
  const problems: ConfigProblem[] = [];
  for (const issue of result.issues ?? []) {
    const setting = issue.path?.[0]?.key;
    if (typeof setting !== 'string' || problems.some((p) => p.setting === setting)) continue;
    problems.push({ setting, problem: issue.message });
  }
  const text = (name: string) => (typeof raw[name] === 'string' ? raw[name].trim() : '');
  if (text('PARTNERO_API_URL') !== '' && text('PARTNERO_API_KEY') === '') {
    problems.push({ setting: 'PARTNERO_API_KEY', problem: 'is required with PARTNERO_API_URL (wrangler secret put PARTNERO_API_KEY)' });
  }
  if (!result.success || problems.length > 0) return { ok: false, problems, warnings };
  const s = result.output;
  const remote = s.PARTNERO_API_URL !== '';
  if (s.ALLOWED_ORIGINS.size === 0) {
    warnings.push({ setting: 'ALLOWED_ORIGINS', problem: 'is empty: only pages on the worker\'s own origin can call /api' });
  }

  const upstream = remote ? { baseUrl: s.PARTNERO_API_URL.replace(/\/+$/, ''), apiKey: s.PARTNERO_API_KEY } : rules.defaultUpstream;
  // schemaFor refused an empty PARTNERO_API_URL unless there is a default upstream.
  if (!upstream) return { ok: false, problems: [{ setting: 'PARTNERO_API_URL', problem: 'is required' }], warnings };
  const freshMs = s.ME_CACHE_TTL_SECONDS * 1000;
  return {
    ok: true,
    warnings,
    config: {
      tokens: {
        secrets: [s.TOKEN_SECRET, s.TOKEN_SECRET_PREVIOUS].filter((x) => x !== ''),
        audience: s.TOKEN_AUDIENCE || TOKEN_RULES.defaultAudience,
        maxAgeSeconds: s.TOKEN_MAX_AGE_SECONDS,
      },
      upstream: { ...upstream, timeoutMs: s.UPSTREAM_TIMEOUT_MS },
      allowedOrigins: s.ALLOWED_ORIGINS,
      meCache: { freshMs, staleMs: Math.max(freshMs, s.ME_STALE_TTL_SECONDS * 1000) },
      maxBodyBytes: s.MAX_BODY_BYTES,
      rateLimits: true,
    },
  };
}

/** One line naming every problem: the message of 503 not_configured and of the log. */
export function describeProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${p.setting} ${p.problem}`).join('; ');
}

/**
 * Memoises a parser per env object: workerd hands an isolate the same env object for every
 * request, so this parses (and logs problems) once per isolate; a test's env overrides are
 * a new object and parse afresh.
 */
export function oncePerEnv<E extends Env>(parse: (env: E) => ConfigResult): (env: E) => ConfigResult {
  const parsed = new WeakMap<E, ConfigResult>();
  return (env) => {
    let result = parsed.get(env);
    if (!result) {
      result = parse(env);
      parsed.set(env, result);
      if (!result.ok) {
        log('error', 'configuration invalid: /api answers 503 not_configured', {
          settings: result.problems.map((p) => p.setting).join(','),
          detail: describeProblems(result.problems),
        });
      }
      for (const w of result.warnings) log('warn', 'configuration warning', { setting: w.setting, detail: w.problem });
    }
    return result;
  };
}
