/**
 * `node scripts/ensure-chromium.ts`: makes sure Debian's Chromium, which the real-browser
 * tests drive through playwright-core, is at /usr/bin/chromium. When it is missing and we
 * are root on a machine with apt-get (a fresh CI container), it installs the `chromium`
 * package non-interactively; otherwise it explains what to do and exits 1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

function fail(message: string): never {
  console.error(`ensure-chromium: ${message}`);
  process.exit(1);
}

/** Runs a command with the terminal attached; fails with its name when it does not succeed. */
function run(command: string, args: string[]): void {
  console.log(`ensure-chromium: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) fail(`could not run ${command}: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}`);
}

function hasAptGet(): boolean {
  const probe = spawnSync('apt-get', ['--version'], { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
}

if (existsSync(CHROMIUM)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !hasAptGet()) {
  fail(
    `${CHROMIUM} is missing. The browser tests (npm run test:e2e) need Debian's Chromium:\n` +
      '  sudo apt-get update && sudo apt-get install -y chromium\n' +
      `(installed automatically only when running as root with apt-get; here: ${isRoot ? 'root' : 'not root'}, ` +
      `${hasAptGet() ? 'apt-get available' : 'no apt-get'}).`,
  );
}

run('apt-get', ['update', '-qq']);
run('apt-get', ['install', '-y', '-qq', 'chromium']);
if (!existsSync(CHROMIUM)) fail(`the chromium package installed, but ${CHROMIUM} is still missing`);
console.log(`ensure-chromium: installed ${CHROMIUM}`);
