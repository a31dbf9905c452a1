/**
 * Login rate limit: failures are counted per account name and per client address in a sliding
 * window; past the limit, logins from there are refused until the oldest failure leaves the
 * window, whatever the password. In memory: one server process serves the bureau, and a restart
 * forgetting the counts costs an attacker a restart they cannot cause.
 */
export interface RateLimitOptions {
  windowMs: number;
  maxPerAccount: number;
  maxPerAddress: number;
}

export const LOGIN_LIMITS: RateLimitOptions = { windowMs: 15 * 60_000, maxPerAccount: 5, maxPerAddress: 20 };

export class LoginLimiter {
  private failures = new Map<string, number[]>();

  constructor(private readonly options: RateLimitOptions = LOGIN_LIMITS) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((t) => now - t < this.options.windowMs);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Milliseconds until a login may be tried again, or 0 when it may be tried now. */
  retryAfter(account: string, address: string, now = Date.now()): number {
    const wait = (times: number[], max: number) => (times.length >= max ? times[times.length - max] + this.options.windowMs - now : 0);
    return Math.max(
      wait(this.recent(`u:${account.toLowerCase()}`, now), this.options.maxPerAccount),
      wait(this.recent(`a:${address}`, now), this.options.maxPerAddress),
      0,
    );
  }

  fail(account: string, address: string, now = Date.now()): void {
    for (const key of [`u:${account.toLowerCase()}`, `a:${address}`]) this.failures.set(key, [...this.recent(key, now), now]);
    if (this.failures.size > 100_000) this.failures.clear(); // a flood of names must not grow memory without end
  }

  succeed(account: string): void {
    this.failures.delete(`u:${account.toLowerCase()}`);
  }

  reset(): void {
    this.failures.clear();
  }
}

export function retryMessage(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return `登录失败次数过多，请 ${minutes} 分钟后再试。`;
}
