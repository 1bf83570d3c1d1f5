import type { Hono } from 'hono';
import type { RouterRoute } from 'hono/types';

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** True when a registered route path (static segments and `:params`) names `path`. */
function pathMatches(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return false;
  return want.every((segment, i) => segment.startsWith(':') || segment === got[i]);
}

/**
 * The methods an app answers on `path`, read from Hono's own route table (middleware and
 * wildcard entries are not endpoints). Empty when no route has this path: a 404, not a 405.
 */
export function allowedMethods(app: Hono<never> | { routes: RouterRoute[] }, path: string): string[] {
  const methods = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    if (pathMatches(route.path, path)) methods.add(route.method);
  }
  if (methods.has('GET')) methods.add('HEAD');
  if (methods.size > 0) methods.add('OPTIONS');
  return [...methods].sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
}
