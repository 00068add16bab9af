/**
 * Brute-force limits for the customer login (issue 18, RFC 9700 §4.x: online
 * guessing; OWASP Authentication Cheat Sheet, "Account lockout" with
 * exponential backoff rather than a permanent lock, which would let anyone
 * lock a customer out).
 *
 * Two keys, each with its own allowance of free failures and then a delay
 * that doubles with each further failure (capped):
 * - the account (the username as typed, case-folded): stops guessing one
 *   customer's password from many addresses;
 * - the client address: stops one address trying many accounts.
 * An address also holds at most `maxInFlightPerAddress` attempts at once, so
 * a burst from one address cannot fill the hashing pool (hash-pool.ts) that
 * everyone's logins share.
 *
 * A locked key is refused before any password is hashed, whether or not the
 * password is right: "30 wrong, then the right one" does not sign in until
 * the delay has passed. A success clears the account's count. State is per
 * server instance (in memory): with several instances each applies its own
 * limits, which bounds guessing to instances × limits.
 */

export interface ThrottleLimits {
  freeFailuresPerAccount: number;
  freeFailuresPerAddress: number;
  /** The delay after the first failure beyond the allowance; doubled for each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures older than this are forgotten. */
  forgetAfterMs: number;
  maxInFlightPerAddress: number;
}

export const defaultThrottleLimits: ThrottleLimits = {
  freeFailuresPerAccount: 5,
  freeFailuresPerAddress: 10,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxInFlightPerAddress: 1,
};

interface FailureCount {
  failures: number;
  lastFailureAt: number;
}

export type ThrottleVerdict = { allowed: true; release: () => void } | { allowed: false; retryAfterSeconds: number; reason: "account" | "address" | "in-flight" };

export class LoginThrottle {
  private readonly accounts = new Map<string, FailureCount>();
  private readonly addresses = new Map<string, FailureCount>();
  private readonly inFlight = new Map<string, number>();
  private readonly limits: ThrottleLimits;
  private readonly now: () => number;

  constructor(limits: Partial<ThrottleLimits> = {}, now: () => number = Date.now) {
    this.limits = { ...defaultThrottleLimits, ...limits };
    this.now = now;
  }

  /** Whether an attempt may go ahead now; when it may, call `release` once it is done. */
  begin(username: string, address: string): ThrottleVerdict {
    const account = accountKey(username);
    const accountWait = this.waitMs(this.accounts, account, this.limits.freeFailuresPerAccount);
    const addressWait = this.waitMs(this.addresses, address, this.limits.freeFailuresPerAddress);
    if (accountWait > 0 || addressWait > 0) {
      return { allowed: false, retryAfterSeconds: Math.ceil(Math.max(accountWait, addressWait) / 1000), reason: accountWait >= addressWait ? "account" : "address" };
    }
    const running = this.inFlight.get(address) ?? 0;
    if (running >= this.limits.maxInFlightPerAddress) return { allowed: false, retryAfterSeconds: 1, reason: "in-flight" };
    this.inFlight.set(address, running + 1);
    let released = false;
    return {
      allowed: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.inFlight.get(address) ?? 1) - 1;
        if (left <= 0) this.inFlight.delete(address);
        else this.inFlight.set(address, left);
      },
    };
  }

  /**
   * The address half of `begin`, for a check before the request body (and
   * so the username) is read: an address that is locked, or has its attempt
   * in flight, is refused without parsing anything.
   */
  addressRefusal(address: string): { retryAfterSeconds: number; reason: "address" | "in-flight" } | null {
    const wait = this.waitMs(this.addresses, address, this.limits.freeFailuresPerAddress);
    if (wait > 0) return { retryAfterSeconds: Math.ceil(wait / 1000), reason: "address" };
    if ((this.inFlight.get(address) ?? 0) >= this.limits.maxInFlightPerAddress) return { retryAfterSeconds: 1, reason: "in-flight" };
    return null;
  }

  /** Whether the account or the address failed recently: such attempts hash at a lower priority (hash-pool.ts). */
  hasRecentFailures(username: string, address: string): boolean {
    return this.current(this.accounts, accountKey(username)) !== undefined || this.current(this.addresses, address) !== undefined;
  }

  recordFailure(username: string, address: string): void {
    this.bump(this.accounts, accountKey(username));
    this.bump(this.addresses, address);
  }

  recordSuccess(username: string): void {
    this.accounts.delete(accountKey(username));
  }

  private waitMs(counts: Map<string, FailureCount>, key: string, free: number): number {
    const count = this.current(counts, key);
    if (!count || count.failures < free) return 0;
    const delay = Math.min(this.limits.maxDelayMs, this.limits.baseDelayMs * 2 ** (count.failures - free));
    return Math.max(0, count.lastFailureAt + delay - this.now());
  }

  private current(counts: Map<string, FailureCount>, key: string): FailureCount | undefined {
    const count = counts.get(key);
    if (count && this.now() - count.lastFailureAt > this.limits.forgetAfterMs) {
      counts.delete(key);
      return undefined;
    }
    return count;
  }

  private bump(counts: Map<string, FailureCount>, key: string): void {
    const count = this.current(counts, key);
    counts.set(key, { failures: (count?.failures ?? 0) + 1, lastFailureAt: this.now() });
    // Bounded memory under a flood of made-up usernames: forget the oldest entries.
    if (counts.size > 100_000) {
      const oldest = counts.keys().next().value;
      if (oldest !== undefined) counts.delete(oldest);
    }
  }
}

function accountKey(username: string): string {
  return username.normalize("NFKC").trim().toLowerCase();
}
