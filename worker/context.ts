import type { Context, ExecutionContext } from 'hono';

/** The request's execution context, when there is one (tests may call app.fetch without one). */
export function executionCtx(c: Context): ExecutionContext | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` after the response when the platform can keep it alive (waitUntil), else
 * waits for it: work that must not delay the answer but must not be lost either.
 */
export async function afterResponse(c: Context, work: Promise<unknown>): Promise<void> {
  const ctx = executionCtx(c);
  if (ctx) ctx.waitUntil(work);
  else await work;
}
