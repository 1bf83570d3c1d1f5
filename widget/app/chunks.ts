/**
 * Loads a lazily built chunk (`chunks/<name>.js`, an ES module) next to the widget script.
 * The URL is computed at run time so esbuild leaves the import alone and widget.js (an
 * IIFE) stays free of the chunk's code.
 */
export function loadChunk<T>(base: string, name: string): Promise<T> {
  const url = new URL(`chunks/${name}.js`, base).href;
  return import(/* @vite-ignore */ url) as Promise<T>;
}
