/**
 * Stand-in for widget/app/chunks.ts under vitest: the built chunks do not exist here, so a
 * chunk name maps to its source module. Every load is recorded; `failChunks` makes a name fail.
 */
export const chunkLoads: string[] = [];
export const failChunks = new Set<string>();

const sources: Record<string, () => Promise<unknown>> = {
  qr: () => import('../../widget/app/qr.ts'),
  'i18n-es': () => import('../../widget/app/messages/es.ts'),
  'i18n-de': () => import('../../widget/app/messages/de.ts'),
  'i18n-fr': () => import('../../widget/app/messages/fr.ts'),
  'i18n-ar': () => import('../../widget/app/messages/ar.ts'),
};

export async function loadChunk<T>(base: string, name: string): Promise<T> {
  chunkLoads.push(`${new URL(`chunks/${name}.js`, base).href}`);
  const source = sources[name];
  if (!source || failChunks.has(name)) throw new TypeError(`Failed to fetch dynamically imported module: ${name}`);
  return (await source()) as T;
}
