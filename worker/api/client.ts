import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { recordUpstream } from '../middleware/timing';
import type { PartneroClient } from '../partnero/types';
import { partneroFor } from '../upstream';

/** The execution context when there is one (app.fetch called without one in some tests). */
export function executionCtx(c: Context<AppEnv>): ExecutionContext | undefined {
  try {
    // Hono types the context it was given by its own narrower interface; at runtime it is
    // the workerd ExecutionContext that fetch() received.
    return c.executionCtx as unknown as ExecutionContext;
  } catch {
    return undefined;
  }
}

/** The Partnero client for this request, reporting each upstream call to Server-Timing and the log line. */
export function upstreamFor(c: Context<AppEnv>): PartneroClient {
  return partneroFor(c.env, executionCtx(c), { onTiming: (entry) => recordUpstream(c, entry.ms) });
}
