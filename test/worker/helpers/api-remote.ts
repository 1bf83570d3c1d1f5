/**
 * A stand-in "remote Partnero" for behaviour the local API cannot produce on its own (a
 * race between isolates, a mangled answer): PARTNERO_API_URL points at a fake host and
 * globalThis.fetch is replaced by a function that may intercept a request and otherwise
 * forwards it to the real local API.
 */
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import type { DevEnv as Env } from '../../../worker/dev/env';
import { localPartnero } from '../../../worker/dev/local-partnero/app';

export const REMOTE_BASE = 'https://partnero.fake.test/v1';
/** The API key of the fake remote: tests check it never reaches a response or a log line. */
export const REMOTE_API_KEY = 'pk_live_FAKE_remote_key_9f8e7d6c5b4a';

/** Env overrides that make the worker talk to the fake remote. */
export const REMOTE_ENV: Partial<Env> = { PARTNERO_API_URL: REMOTE_BASE, PARTNERO_API_KEY: REMOTE_API_KEY };

/** Sends a request meant for the fake remote to the local API (same path, same key check). */
export async function forwardToLocal(request: Request): Promise<Response> {
  const url = request.url.replace(REMOTE_BASE, 'http://local-partnero.internal/v1');
  return localPartnero.fetch(new Request(url, request), { ...env, LOCAL_API_KEY: REMOTE_API_KEY });
}

export type Interceptor = (request: Request) => Promise<Response | undefined> | Response | undefined;

/**
 * Replaces global fetch: requests to the fake remote go through `intercept` first (answer
 * with a Response to short-circuit, undefined to forward to the local API). Returns the
 * requests seen and a restore function.
 */
export function mockRemote(intercept: Interceptor = () => undefined): { seen: Request[]; restore: () => void } {
  const seen: Request[] = [];
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request: Request = new Request(input as RequestInfo, init as RequestInit);
    if (!request.url.startsWith(REMOTE_BASE)) throw new Error(`unexpected fetch to ${request.url}`);
    // Each reader gets its own copy, body included.
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    const copy = () => new Request(request.url, { method: request.method, headers: request.headers, body });
    seen.push(copy());
    return (await intercept(copy())) ?? forwardToLocal(copy());
  });
  return { seen, restore: () => spy.mockRestore() };
}
