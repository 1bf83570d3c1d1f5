/**
 * `npm run build`: the browser bundles into dist/public/, the static assets of the
 * production worker (wrangler.toml [assets]); and dist/dev/, the same bundles plus the demo
 * host pages, the assets of the dev composition (wrangler.dev.toml). The demo pages never
 * reach dist/public, so no deployment can ship them.
 *
 *   widget.js       IIFE for the script tag (also defines <referral-widget>)
 *   widget.esm.js   ES module exporting `mount`
 *   chunks/*.js     lazily imported ES modules: the QR code and every language but English
 *   attribution.js  the landing-page script
 *   dist/dev/demo/  the fake host site (dev composition only)
 *
 * Prints each output's raw and gzip size (zlib level 9, exact bytes), writes sizes.json,
 * and exits 1 when widget.js or attribution.js is over its gzip budget.
 */
import { build } from 'esbuild';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { BUDGETS, common, gzipSize, root } from './build-config.ts';

const out = join(root, 'dist/public');
const devOut = join(root, 'dist/dev');

/**
 * Empties a folder but keeps it: a running `wrangler dev` watches it and loses track of a
 * folder that is deleted and created again.
 */
async function emptyDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await Promise.all((await readdir(dir)).map((name) => rm(join(dir, name), { recursive: true, force: true })));
}

async function bundle(): Promise<void> {
  await emptyDir(out);
  const locales = (await readdir(join(root, 'widget/app/messages')))
    .filter((f) => f.endsWith('.ts') && f != 'en.ts')
    .map((f) => f.slice(0, -3));
  await Promise.all([
    build({ ...common, entryPoints: ['widget/index.ts'], format: 'iife', outfile: join(out, 'widget.js') }),
    build({ ...common, entryPoints: ['widget/esm.ts'], format: 'esm', outfile: join(out, 'widget.esm.js') }),
    build({ ...common, entryPoints: ['widget/attribution.ts'], format: 'iife', outfile: join(out, 'attribution.js') }),
    build({
      ...common,
      format: 'esm',
      // Module scripts are always decoded as UTF-8, so the texts need no \u escapes.
      charset: 'utf8',
      outdir: join(out, 'chunks'),
      entryPoints: {
        qr: 'widget/app/qr.ts',
        ...Object.fromEntries(locales.map((l) => [`i18n-${l}`, `widget/app/messages/${l}.ts`])),
      },
    }),
  ]);
  // Chunks are loaded with import(), which is a CORS request when the widget runs on
  // another origin than its script: let any page import them.
  await writeFile(join(out, '_headers'), '/chunks/*\n  Access-Control-Allow-Origin: *\n');
}

/** dist/dev: the production assets plus demo/*.html and its assets (not the seed SQL). */
async function devAssets(): Promise<void> {
  await emptyDir(devOut);
  await cp(out, devOut, { recursive: true });
  await cp(join(root, 'demo'), join(devOut, 'demo'), {
    recursive: true,
    filter: (src) => !/\.(sql|ts|md)$/.test(src),
  });
}

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? files(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat();
}

interface Size {
  file: string;
  raw: number;
  gzip: number;
  budget?: number;
}

async function report(): Promise<boolean> {
  const sizes: Size[] = [];
  for (const path of (await files(out)).sort()) {
    if (!/\.js$/.test(path)) continue;
    const bytes = await readFile(path);
    const file = relative(out, path);
    const budget = BUDGETS[file];
    sizes.push({ file, raw: bytes.length, gzip: gzipSize(bytes), ...(budget ? { budget } : {}) });
  }
  const width = Math.max(...sizes.map((s) => s.file.length));
  console.log(`${'file'.padEnd(width)}  ${'raw B'.padStart(8)}  ${'gzip B'.padStart(8)}  budget`);
  let ok = true;
  for (const s of sizes) {
    const over = s.budget !== undefined && s.gzip > s.budget;
    if (over) ok = false;
    const verdict = s.budget === undefined ? '' : `${s.budget} ${over ? 'OVER' : 'ok'}`;
    console.log(`${s.file.padEnd(width)}  ${String(s.raw).padStart(8)}  ${String(s.gzip).padStart(8)}  ${verdict}`);
  }
  await writeFile(join(out, 'sizes.json'), `${JSON.stringify({ budgets: BUDGETS, files: sizes }, null, 2)}\n`);
  return ok;
}

await bundle();
const ok = await report();
await devAssets();
if (!ok) {
  console.error('build: over the gzip budget (see above)');
  process.exit(1);
}
