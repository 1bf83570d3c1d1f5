import { DEV_TOKEN_SECRET } from './dev/dev-secret';
import type { Env } from './env';

export { DEV_TOKEN_SECRET };

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
