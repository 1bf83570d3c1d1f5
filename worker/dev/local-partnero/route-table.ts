import { customerDataRoutes } from './routes/customer-data';
import { customerRoutes } from './routes/customers';
import { inviteSearchRoutes } from './routes/invite-search';
import { neighbourRoutes } from './routes/transactions';
import type { Method, RouteDef } from './routes/types';

/** Every route of the local API, relative to /v1. */
export const ROUTES: RouteDef[] = [...customerRoutes, ...customerDataRoutes, ...inviteSearchRoutes, ...neighbourRoutes];

interface Pattern {
  path: string;
  regex: RegExp;
  methods: Set<Method>;
}

function compile(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^/v1${source}$`);
}

const PATTERNS: Pattern[] = [];
for (const route of ROUTES) {
  const known = PATTERNS.find((p) => p.path === route.path);
  if (known) known.methods.add(route.method);
  else PATTERNS.push({ path: route.path, regex: compile(route.path), methods: new Set([route.method]) });
}

export type RouteMatch =
  | { kind: 'found'; key: string }
  | { kind: 'wrong_method'; key: string; allow: string[] }
  | { kind: 'not_found'; key: string };

/**
 * Which route a request names, so 404 and 405 are told apart before auth (as Laravel does)
 * and every call is counted under its route pattern.
 */
export function matchRoute(method: string, pathname: string): RouteMatch {
  // No two patterns overlap (`[^/]+` never spans a slash), so the first match is the only one.
  const pattern = PATTERNS.find((p) => p.regex.test(pathname));
  if (!pattern) return { kind: 'not_found', key: `${method} (unknown route)` };
  const key = `${method} /v1${pattern.path}`;
  const lookup = method === 'HEAD' ? 'GET' : method;
  if ([...pattern.methods].some((m) => m === lookup)) return { kind: 'found', key };
  const allow: string[] = [...pattern.methods];
  if (pattern.methods.has('GET')) allow.push('HEAD');
  return { kind: 'wrong_method', key, allow: allow.sort() };
}
