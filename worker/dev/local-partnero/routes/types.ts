import type { LocalContext } from '../request';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One route of the local API; `path` is relative to /v1 and uses Hono's `:param` syntax. */
export interface RouteDef {
  method: Method;
  path: string;
  handler: (c: LocalContext) => Promise<Response>;
}
