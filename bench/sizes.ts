/**
 * Bundle sizes: the built widget.js and attribution.js (fresh from `npm run build`), raw,
 * gzip -9 and brotli q11, against their gzip budgets and against the floor of the UI
 * libraries alone, built with the same esbuild options as scripts/build.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { build } from 'esbuild';
import { BUDGETS, common, gzipSize } from '../scripts/build-config.ts';
import { ROOT } from '../test/e2e/harness.ts';

export interface SizeRow {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
  /** Gzip budget in bytes, when the file has one. */
  budget?: number;
}

export interface SizesResult {
  files: SizeRow[];
  /** Floors: the libraries alone (the widget imports signals-core, the issue names @preact/signals). */
  floors: SizeRow[];
}

function measure(file: string, bytes: Uint8Array): SizeRow {
  const budget = BUDGETS[file];
  return {
    file,
    raw: bytes.length,
    gzip: gzipSize(bytes),
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
    ...(budget ? { budget } : {}),
  };
}

/**
 * The floor entry: render/h from preact and signal/computed/effect from the signals package,
 * all used so nothing is tree-shaken away.
 */
function floorEntry(signals: string): string {
  return [
    "import { h, render } from 'preact';",
    `import { signal, computed, effect } from '${signals}';`,
    'const count = signal(0);',
    'const double = computed(() => count.value * 2);',
    "effect(() => render(h('p', null, double.value), document.body));",
    'count.value = 1;',
  ].join('\n');
}

/** Built as scripts/build.ts builds widget.js: its esbuild options, as an IIFE. */
async function buildFloor(name: string, signals: string): Promise<SizeRow> {
  const result = await build({
    ...common,
    stdin: { contents: floorEntry(signals), resolveDir: ROOT, loader: 'js', sourcefile: `${name}.js` },
    format: 'iife',
    write: false,
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error(`bench: esbuild produced nothing for the ${name} floor`);
  return measure(name, out.contents);
}

/** Runs `npm run build` (so the sizes are of this tree), then measures. */
export async function measureSizes(): Promise<SizesResult> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const built = spawnSync(npm, ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  // Over budget exits 1 but still writes the bundles: the bench reports that, it does not fail on it.
  const overBudget = built.status === 1 && /over the gzip budget/.test(built.stderr);
  if (built.status !== 0 && !overBudget) {
    throw new Error(`bench: npm run build failed (${built.status ?? built.signal}):\n${built.stdout}\n${built.stderr}`);
  }
  const files = ['widget.js', 'attribution.js'].map((file) => measure(file, readFileSync(join(ROOT, 'dist', 'public', file))));
  const floors = [
    await buildFloor('preact + @preact/signals', '@preact/signals'),
    await buildFloor('preact + @preact/signals-core', '@preact/signals-core'),
  ];
  return { files, floors };
}
