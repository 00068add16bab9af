/**
 * Bounded concurrency for password hashing. scrypt runs on libuv's thread
 * pool (4 threads by default), which file and DNS work share; left
 * unbounded, a burst of logins queues behind itself and every login, and
 * everything else on the pool, waits. So at most `concurrency` hashes run at
 * once, at most `maxQueued` wait (first come, first served), and beyond that
 * the caller gets `HashPoolBusyError`: the login answers 503 with
 * `Retry-After` instead of waiting without end.
 */
import { availableParallelism } from "node:os";

export class HashPoolBusyError extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super("Too many sign-ins are being checked right now; try again shortly.");
    this.name = "HashPoolBusyError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class HashPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  readonly concurrency: number;
  readonly maxQueued: number;

  constructor(concurrency = Math.max(1, Math.min(4, availableParallelism())), maxQueued = 32) {
    this.concurrency = concurrency;
    this.maxQueued = maxQueued;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxQueued) throw new HashPoolBusyError(Math.max(1, Math.ceil(this.waiting.length / this.concurrency / 2)));
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter; `running` only drops when nobody waits.
      if (next) next();
      else this.running--;
    }
  }
}
