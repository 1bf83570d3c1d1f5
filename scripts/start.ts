/**
 * `npm start`: build the browser bundles (when the build script exists), apply the D1
 * migrations and the demo seed to the local database, then run `wrangler dev` on port 8787
 * (extra arguments are forwarded: `npm start -- --port 9000`).
 *
 * `--allow-origin http://localhost:3000` (repeatable) adds an origin to ALLOWED_ORIGINS for
 * this run, merged with the configured ones (wrangler.dev.toml, .dev.vars or `--var`): the
 * way to embed the widget in a host site running on another port.
 *
 * Works on a fresh clone: no .dev.vars and no terminal needed (the dev composition has a dev
 * token secret; see worker/config.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { configuredAllowedOrigins, devTomlVar, mergeOrigins, readDevVars, root, takeAllowOrigins } from './dev-vars.ts';

const wrangler = join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const childEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
const allow = takeAllowOrigins(process.argv.slice(2));
if (allow.invalid.length > 0) {
  for (const value of allow.invalid) {
    console.error(`npm start: --allow-origin ${JSON.stringify(value)} is not an origin: give scheme, host and port only, e.g. http://localhost:3000`);
  }
  process.exit(2);
}
const args = allow.rest;
/** The dev composition: the product plus the local Partnero API, the demo and a dev token secret. */
const config = ['--config', 'wrangler.dev.toml'];

/** The value of `--name value` or `--name=value` among the forwarded arguments. */
function argValue(name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === name) return args[i + 1];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}

function run(command: string, commandArgs: string[], what: string): void {
  console.log(`\n> ${what}`);
  const result = spawnSync(command, commandArgs, { cwd: root, env: childEnv, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    console.error(`npm start: ${what} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(wrangler)) {
  console.error('npm start: wrangler is not installed. Run `npm install` first.');
  process.exit(1);
}

if (existsSync(join(root, 'scripts', 'build.ts'))) {
  run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], 'npm run build');
}
// wrangler.dev.toml's [assets] directory must exist even before anything is built.
mkdirSync(join(root, 'dist', 'dev'), { recursive: true });

// The D1 commands must use the same local state as `wrangler dev` will.
const persistTo = argValue('--persist-to');
const persist = persistTo ? ['--persist-to', persistTo] : [];
run(process.execPath, [wrangler, 'd1', 'migrations', 'apply', 'LOCAL_DB', '--local', ...config, ...persist], 'apply D1 migrations (local)');
run(
  process.execPath,
  [wrangler, 'd1', 'execute', 'LOCAL_DB', '--local', ...config, '--file', join('demo', 'seed.sql'), ...persist],
  'seed demo data (idempotent)',
);

const port = argValue('--port') ?? '8787';
// Referral links point at the demo landing page of *this* server, whatever port it runs on,
// unless the caller configured REFERRAL_LINK_BASE themselves.
const linkBase = args.some((a) => a.includes('REFERRAL_LINK_BASE')) ? [] : ['--var', `REFERRAL_LINK_BASE:http://localhost:${port}/demo/`];
// Origins from --allow-origin join the configured ones; `--var` wins over .dev.vars and the
// config in wrangler dev, and the last --var of a name wins, so this one goes last.
const origins = mergeOrigins(configuredAllowedOrigins(args, readDevVars(), devTomlVar('ALLOWED_ORIGINS')), allow.added);
const originArgs = allow.added.length > 0 ? ['--var', `ALLOWED_ORIGINS:${origins.join(',')}`] : [];
const devArgs = ['dev', ...config, ...(argValue('--port') === undefined ? ['--port', port] : []), ...linkBase, ...args, ...originArgs];
console.log(`\n> Browser origins allowed to call /api (ALLOWED_ORIGINS${allow.added.length > 0 ? ', with --allow-origin' : ''}): ${origins.join(', ') || '(none: only this worker\'s own pages)'}`);
console.log(`\n> wrangler ${devArgs.join(' ')}`);
const dev = spawn(process.execPath, [wrangler, ...devArgs], { cwd: root, env: childEnv, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => dev.kill(signal));
}
dev.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
