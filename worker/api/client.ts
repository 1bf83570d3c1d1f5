import type { Context, ExecutionContext } from 'hono';
import type { AppEnv } from '../env';
import { recordUpstream } from '../middleware/timing';
import type { PartneroClient, PartneroClientOptions } from '../partnero/types';
import { partneroFor } from '../upstream';

/** The execution context when there is one (app.fetch called without one in some tests). */
export function executionCtx(c: Context<AppEnv>): ExecutionContext | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

/** The Partnero client for this request, reporting each upstream call to Server-Timing and the log line. */
export function upstreamFor(c: Context<AppEnv>, options: Pick<PartneroClientOptions, 'retries'> = {}): PartneroClient {
  return partneroFor(c.env, executionCtx(c), { ...options, onTiming: (entry) => recordUpstream(c, entry.ms) });
}
