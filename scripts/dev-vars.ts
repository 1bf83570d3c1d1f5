/**
 * The local settings the dev composition runs with, as Node tooling (npm start, npm run
 * token) reads them: `.dev.vars` and the [vars] of wrangler.dev.toml.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** KEY=VALUE lines of .dev.vars (comments and blank lines skipped, surrounding quotes removed). */
export function readDevVars(): Record<string, string> {
  const file = join(root, '.dev.vars');
  if (!existsSync(file)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match?.[1] || line.trimStart().startsWith('#')) continue;
    vars[match[1]] = (match[2] ?? '').replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

/** A plain string var of wrangler.dev.toml (`NAME = "value"`), or undefined. */
export function devTomlVar(name: string): string | undefined {
  const toml = readFileSync(join(root, 'wrangler.dev.toml'), 'utf8');
  return new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm').exec(toml)?.[1];
}

/** `scheme://host[:port]` of `text` when it is exactly an origin (no path, query, credentials), else null. */
export function exactOrigin(text: string): string | null {
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) && url.origin === text.replace(/\/$/, '') ? url.origin : null;
  } catch {
    return null;
  }
}

export interface AllowOrigins {
  /** The origins given with `--allow-origin`, in order. */
  added: string[];
  /** Values of `--allow-origin` that are not origins. */
  invalid: string[];
  /** Every other argument, for wrangler. */
  rest: string[];
}

/** Takes every `--allow-origin X` / `--allow-origin=X` out of `args`. */
export function takeAllowOrigins(args: readonly string[]): AllowOrigins {
  const result: AllowOrigins = { added: [], invalid: [], rest: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    let value: string | undefined;
    if (arg === '--allow-origin') value = args[++i] ?? '';
    else if (arg.startsWith('--allow-origin=')) value = arg.slice('--allow-origin='.length);
    else {
      result.rest.push(arg);
      continue;
    }
    const origin = exactOrigin(value);
    if (origin) result.added.push(origin);
    else result.invalid.push(value);
  }
  return result;
}

/**
 * The ALLOWED_ORIGINS `wrangler dev` would run with, as wrangler ranks them: a
 * `--var ALLOWED_ORIGINS:…` among `args`, else .dev.vars, else wrangler.dev.toml.
 */
export function configuredAllowedOrigins(args: readonly string[], devVars: Record<string, string>, tomlValue: string | undefined): string {
  let fromArgs: string | undefined;
  for (const arg of args) {
    const match = /^(?:--var=)?ALLOWED_ORIGINS:(.*)$/.exec(arg);
    if (match) fromArgs = match[1];
  }
  return fromArgs ?? devVars.ALLOWED_ORIGINS ?? tomlValue ?? '';
}

/** The configured origins plus the added ones, each once, in order. */
export function mergeOrigins(configured: string, added: readonly string[]): string[] {
  const list = configured.split(',').map((o) => o.trim()).filter((o) => o !== '');
  return [...new Set([...list, ...added])];
}
