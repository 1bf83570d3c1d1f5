import type { DevEnv as Env } from '../env';
import { LocalConfigError } from './errors';

/** How a referrer is rewarded when a customer it referred buys. */
export type RewardRule =
  | { kind: 'percent'; percent: number }
  | { kind: 'fixed'; amount: number }
  | { kind: 'none' };

const RULE_PATTERN = /^(percent|fixed):(\d{1,9}(?:\.\d{1,4})?)$/;

/**
 * Parses REWARD_RULE strictly: `percent:N` (0 < N <= 100), `fixed:N` (N > 0, in the
 * purchase's currency) or `none`. Anything else throws a LocalConfigError naming the value,
 * so a typo is reported instead of silently paying nothing (or everything).
 */
export function parseRewardRule(raw: string | undefined): RewardRule {
  const value = (raw ?? '').trim();
  if (value === 'none') return { kind: 'none' };
  const m = RULE_PATTERN.exec(value);
  if (!m) {
    throw new LocalConfigError(
      `REWARD_RULE must be "percent:N", "fixed:N" or "none" (got ${JSON.stringify(raw ?? '')}).`,
    );
  }
  const n = Number(m[2]);
  if (m[1] === 'percent') {
    if (n <= 0 || n > 100) throw new LocalConfigError(`REWARD_RULE percent must be in (0, 100] (got ${n}).`);
    return { kind: 'percent', percent: n };
  }
  if (n <= 0) throw new LocalConfigError(`REWARD_RULE fixed amount must be greater than 0 (got ${n}).`);
  return { kind: 'fixed', amount: n };
}

/**
 * The reward for a purchase of `amountE4` (ten-thousandths), in ten-thousandths, or null.
 * Percent rewards are rounded to whole cents, as a payout would be.
 */
export function rewardE4(rule: RewardRule, amountE4: number): number | null {
  switch (rule.kind) {
    case 'none':
      return null;
    case 'fixed':
      return Math.round(rule.amount * 10_000);
    case 'percent': {
      const cents = Math.round((amountE4 * rule.percent) / 100 / 100);
      return cents > 0 ? cents * 100 : null;
    }
  }
}

/** The base every referral link is built on (REFERRAL_LINK_BASE), validated. */
export function referralLinkBase(env: Env): URL {
  const raw = env.REFERRAL_LINK_BASE?.trim() ?? '';
  let url: URL | null = null;
  try {
    url = raw ? new URL(raw) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new LocalConfigError(`REFERRAL_LINK_BASE must be an absolute http(s) URL (got ${JSON.stringify(raw)}).`);
  }
  return url;
}

/**
 * The customer's referral link: the base with `ref=<key>` set (other query parameters kept).
 * A bare origin stays bare (`https://yoursite.com?ref=...`, as Partnero writes it) rather
 * than gaining the "/" the URL API would add.
 */
export function referralLink(base: URL, rawBase: string, key: string): string {
  const url = new URL(base.href);
  url.searchParams.set('ref', key);
  const text = url.href;
  const bareOrigin = url.pathname === '/' && !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*\//i.test(rawBase.trim());
  return bareOrigin ? url.origin + text.slice(url.origin.length + 1) : text;
}

/** Simulated upstream latency (LOCAL_API_LATENCY_MS), clamped to one minute. */
export function latencyMs(env: Env): number {
  const n = Number.parseInt(env.LOCAL_API_LATENCY_MS ?? '', 10);
  return Number.isFinite(n) ? Math.min(60_000, Math.max(0, n)) : 0;
}
