import type { Hono } from 'hono';
import type { LocalEnv } from './env';

/** Methods a route of the local API can have (HEAD is answered by GET routes). */
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

export type RouteMatch =
  | { kind: 'found'; key: string }
  | { kind: 'wrong_method'; key: string; allow: string[] }
  | { kind: 'not_found'; key: string };

/** The route patterns Hono's own router matches for `method` and `path`, middleware left out. */
function patterns(app: Hono<LocalEnv>, method: string, path: string): string[] {
  const [matched] = app.router.match(method, path);
  const out: string[] = [];
  for (const [[, route]] of matched) {
    if (route.method !== 'ALL' && !out.includes(route.path)) out.push(route.path);
  }
  return out;
}

/**
 * Which route a request names, read from Hono's own router, so an unknown route (404) and a
 * known route with the wrong method (405, with `Allow`) are told apart before auth, as Laravel
 * does, and every call is counted under its route pattern (e.g. `GET /v1/customers/:id`).
 */
export function matchRoute(app: Hono<LocalEnv>, method: string, path: string): RouteMatch {
  const lookup = method === 'HEAD' ? 'GET' : method;
  const found = patterns(app, lookup, path)[0];
  if (found) return { kind: 'found', key: `${method} ${found}` };
  const allowed = new Map<string, Set<string>>();
  for (const other of METHODS) {
    for (const pattern of patterns(app, other, path)) {
      const methods = allowed.get(pattern) ?? new Set<string>();
      methods.add(other);
      if (other === 'GET') methods.add('HEAD');
      allowed.set(pattern, methods);
    }
  }
  const [first] = allowed;
  if (!first) return { kind: 'not_found', key: `${method} (unknown route)` };
  const [pattern, methods] = first;
  return { kind: 'wrong_method', key: `${method} ${pattern}`, allow: [...methods].sort() };
}
