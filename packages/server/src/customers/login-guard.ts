/**
 * The customer login as the interaction pages use it: the brute-force limits
 * (login-throttle.ts) first, then the password check through the bounded
 * hashing pool (hash-pool.ts). One per server, in the request context.
 */
import type { Db } from "../db/index.js";
import { HashPool, HashPoolBusyError } from "./hash-pool.js";
import { LoginThrottle, type ThrottleLimits } from "./login-throttle.js";
import { authenticateCustomer, type Customer } from "./store.js";

export type LoginOutcome =
  | { outcome: "signed-in"; customer: Customer }
  | { outcome: "wrong-credentials" }
  /** Too many failures for the account or the address: 429 with Retry-After, no password checked. */
  | { outcome: "throttled"; retryAfterSeconds: number }
  /** Every hashing slot and queue place is taken: 503 with Retry-After. */
  | { outcome: "busy"; retryAfterSeconds: number };

export interface LoginGuardOptions {
  limits?: Partial<ThrottleLimits>;
  hashConcurrency?: number;
  hashQueue?: number;
}

export class LoginGuard {
  private readonly throttle: LoginThrottle;
  private readonly pool: HashPool;
  private readonly db: Db;

  constructor(db: Db, options: LoginGuardOptions = {}) {
    this.db = db;
    this.throttle = new LoginThrottle(options.limits);
    this.pool = new HashPool(options.hashConcurrency, options.hashQueue);
  }

  /**
   * The refusal an attempt would get now, checked before anything costly (the
   * interaction lookup, the hash), so a refused burst costs almost nothing.
   */
  refusal(username: string, address: string): LoginOutcome | null {
    const verdict = this.throttle.begin(username, address);
    if (!verdict.allowed) return { outcome: "throttled", retryAfterSeconds: verdict.retryAfterSeconds };
    verdict.release();
    return null;
  }

  async attempt(username: string, password: string, address: string): Promise<LoginOutcome> {
    const verdict = this.throttle.begin(username, address);
    if (!verdict.allowed) return { outcome: "throttled", retryAfterSeconds: verdict.retryAfterSeconds };
    try {
      const customer = await this.pool.run(() => authenticateCustomer(this.db, username, password));
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
