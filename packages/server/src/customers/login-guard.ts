/**
 * The customer login as the interaction pages use it: the brute-force limits
 * (login-throttle.ts) first, then the password check through the bounded,
 * prioritised hashing pool (hash-pool.ts). One per server, in the request
 * context.
 */
import type { Db } from "../db/index.js";
import { HashPool, HashPoolBusyError, type HashPoolOptions } from "./hash-pool.js";
import { LoginThrottle, type ThrottleLimits } from "./login-throttle.js";
import { authenticateCustomer, type Customer } from "./store.js";

export type LoginOutcome =
  | { outcome: "signed-in"; customer: Customer }
  | { outcome: "wrong-credentials" }
  /** Too many failures for the account or the address: 429 with Retry-After, no password checked. */
  | { outcome: "throttled"; retryAfterSeconds: number }
  /** Every hashing slot and queue place is taken: 503 with Retry-After. */
  | { outcome: "busy"; retryAfterSeconds: number };

/** An attempt refused before any password is checked. */
export type LoginRefusal = Extract<LoginOutcome, { outcome: "throttled" | "busy" }>;

export interface LoginGuardOptions {
  limits?: Partial<ThrottleLimits>;
  hash?: HashPoolOptions;
}

export class LoginGuard {
  private readonly throttle: LoginThrottle;
  private readonly pool: HashPool;
  private readonly db: Db;

  constructor(db: Db, options: LoginGuardOptions = {}) {
    this.db = db;
    this.throttle = new LoginThrottle(options.limits);
    this.pool = new HashPool(options.hash);
  }

  /**
   * The refusal an address gets before its request body is even read (a
   * locked address, or one with an attempt in flight): the cheapest answer
   * there is, so a guessing burst from one address costs the server next to
   * nothing beyond its first few attempts.
   */
  addressRefusal(address: string): LoginRefusal | null {
    const refusal = this.throttle.addressRefusal(address);
    return refusal ? { outcome: "throttled", retryAfterSeconds: refusal.retryAfterSeconds } : null;
  }

  /**
   * The refusal an attempt would get now, checked before anything costly (the
   * interaction lookup, the hash), so a refused burst costs almost nothing.
   */
  refusal(username: string, address: string): LoginRefusal | null {
    const verdict = this.throttle.begin(username, address);
    if (!verdict.allowed) return { outcome: "throttled", retryAfterSeconds: verdict.retryAfterSeconds };
    verdict.release();
    return null;
  }

  async attempt(username: string, password: string, address: string): Promise<LoginOutcome> {
    const verdict = this.throttle.begin(username, address);
    if (!verdict.allowed) return { outcome: "throttled", retryAfterSeconds: verdict.retryAfterSeconds };
    try {
      // A clean record hashes first; one with recent failures waits for spare capacity (hash-pool.ts).
      const priority = this.throttle.hasRecentFailures(username, address) ? "suspect" : "clean";
      const customer = await this.pool.run(() => authenticateCustomer(this.db, username, password), priority);
      if (!customer) {
        this.throttle.recordFailure(username, address);
        return { outcome: "wrong-credentials" };
      }
      this.throttle.recordSuccess(username);
      return { outcome: "signed-in", customer };
    } catch (error) {
      if (error instanceof HashPoolBusyError) return { outcome: "busy", retryAfterSeconds: error.retryAfterSeconds };
      throw error;
    } finally {
      verdict.release();
    }
  }
}
