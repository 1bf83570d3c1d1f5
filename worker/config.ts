import type { Env } from './env';

/**
 * Token secret used only when DEMO_MODE is "true" and no TOKEN_SECRET is set, so that
 * `npm start` works on a fresh clone with nothing configured. Public by design: a
 * deployment with DEMO_MODE off never accepts it.
 */
export const DEV_TOKEN_SECRET = 'dev-only-token-secret-do-not-use-in-production';

export function isDemoMode(env: Env): boolean {
  return env.DEMO_MODE === 'true';
}

/** Secrets that verify customer tokens, newest first (rotation: current, then previous). */
export function tokenSecrets(env: Env): string[] {
  const secrets = [env.TOKEN_SECRET, env.TOKEN_SECRET_PREVIOUS].filter((s): s is string => !!s && s.length > 0);
  if (secrets.length === 0 && isDemoMode(env)) secrets.push(DEV_TOKEN_SECRET);
  return secrets;
}

/** The secret new tokens are minted with (demo token endpoint, `npm run token`). */
export function signingSecret(env: Env): string | undefined {
  return tokenSecrets(env)[0];
}

export function tokenAudience(env: Env): string {
  return env.TOKEN_AUDIENCE?.trim() || 'referral-widget';
}
