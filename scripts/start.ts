/**
 * `npm start`: build the browser bundles (when the build script exists), apply the D1
 * migrations and the demo seed to the local database, then run `wrangler dev` on port 8787
 * (extra arguments are forwarded: `npm start -- --port 9000`).
 *
 * Works on a fresh clone: no .dev.vars and no terminal needed (the dev composition has a dev
 * token secret; see worker/config.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wrangler = join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const childEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
const args = process.argv.slice(2);
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
const devArgs = ['dev', ...config, ...(argValue('--port') === undefined ? ['--port', port] : []), ...linkBase, ...args];
console.log(`\n> wrangler ${devArgs.join(' ')}`);
const dev = spawn(process.execPath, [wrangler, ...devArgs], { cwd: root, env: childEnv, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => dev.kill(signal));
}
dev.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
