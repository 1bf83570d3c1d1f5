/**
 * What scripts/build.ts builds with and measures by, shared with bench/sizes.ts so the
 * bench's library floors are built and measured exactly as the widget is.
 */
import { transform, type BuildOptions, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Gzip budgets in bytes (issue 4). */
export const BUDGETS: Record<string, number> = { 'widget.js': 15 * 1024, 'attribution.js': 1024 };

/** Gzip size in bytes at zlib level 9, the measure the budgets are in. */
export function gzipSize(bytes: Uint8Array): number {
  return gzipSync(bytes, { level: 9 }).length;
}

/** `import css from './x.css?inline'`: the stylesheet, minified, as a string. */
const cssText: Plugin = {
  name: 'css-inline',
  setup(b) {
    b.onResolve({ filter: /\.css\?inline$/ }, (args) => ({
      path: resolve(args.resolveDir, args.path.replace(/\?inline$/, '')),
      namespace: 'css-inline',
    }));
    b.onLoad({ filter: /.*/, namespace: 'css-inline' }, async (args) => {
      const { code } = await transform(await readFile(args.path, 'utf8'), { loader: 'css', minify: true });
      return { contents: `export default ${JSON.stringify(code.trim())}`, loader: 'js' };
    });
  },
};

/** The esbuild options every browser bundle is built with (format and entries come on top). */
export const common: BuildOptions = {
  bundle: true,
  minify: true,
  target: 'es2020',
  platform: 'browser',
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  plugins: [cssText],
  // Plain assignments instead of esbuild's defineProperty helper for class fields.
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
};
