/**
 * Bounded concurrency for password hashing, with a lower priority for logins
 * that come with a record of failures. Hashing (argon2id, and scrypt for old
 * hashes) runs on libuv's thread pool (4 threads by default), which file and
 * DNS work share; left unbounded, a
 * burst of logins queues behind itself and every login, and everything else
 * on the pool, waits. So at most `concurrency` hashes run at once, at most
 * `maxQueued` wait, and beyond that the caller gets `HashPoolBusyError`: the
 * login answers 503 with `Retry-After` instead of waiting without end.
 *
 * Two classes of work (issue 18, defect 3: a guessing burst must not starve
 * other customers' logins):
 * - "clean": the address and the account have no recent failures. Served
 *   first come, first served, on any free slot.
 * - "suspect": the address or the account has recent failures (a guesser, or
 *   a customer who mistyped). It starts only when no clean work runs or
 *   waits (the pool is otherwise idle), and holds at most `concurrency - 1`
 *   slots (1 when there is only one), so a clean login always finds a free
 *   slot, never queues behind a guess, and shares the CPU with at most the
 *   one guess already running when it came. A suspect that cannot start
 *   within `suspectMaxWaitMs` gets `HashPoolBusyError` rather than waiting
 *   while clean logins keep the pool busy.
 * Each address has at most one attempt in flight anyway (login-throttle.ts),
 * so one address holds at most one place here, running or waiting.
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

export type HashPriority = "clean" | "suspect";

export interface HashPoolOptions {
  concurrency?: number;
  maxQueued?: number;
  suspectMaxWaitMs?: number;
}

interface Waiter {
  start: () => void;
  /** For suspect waiters: the timer that gives up on them. */
  timer?: NodeJS.Timeout;
}

export class HashPool {
  private running = 0;
  private runningSuspect = 0;
  private readonly clean: Waiter[] = [];
  private readonly suspect: Waiter[] = [];
  readonly concurrency: number;
  readonly maxQueued: number;
  readonly suspectSlots: number;
  readonly suspectMaxWaitMs: number;

  constructor(options: HashPoolOptions = {}) {
    this.concurrency = options.concurrency ?? Math.max(1, Math.min(4, availableParallelism()));
    this.maxQueued = options.maxQueued ?? 32;
    this.suspectSlots = Math.max(1, this.concurrency - 1);
    this.suspectMaxWaitMs = options.suspectMaxWaitMs ?? 10_000;
  }

  /** Hashes waiting for a slot, of both classes. */
  get queued(): number {
    return this.clean.length + this.suspect.length;
  }

  async run<T>(work: () => Promise<T>, priority: HashPriority = "clean"): Promise<T> {
    if (priority === "clean" ? this.running < this.concurrency : this.suspectMayStart()) this.take(priority);
    else await this.wait(priority);
    try {
      return await work();
    } finally {
      this.running--;
      if (priority === "suspect") this.runningSuspect--;
      this.startNext();
    }
  }

  private suspectMayStart(): boolean {
    return this.clean.length === 0 && this.running === this.runningSuspect && this.runningSuspect < this.suspectSlots;
  }

  private take(priority: HashPriority): void {
    this.running++;
    if (priority === "suspect") this.runningSuspect++;
  }

  private wait(priority: HashPriority): Promise<void> {
    if (this.queued >= this.maxQueued) throw this.busy();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { start: resolve };
      if (priority === "clean") {
        this.clean.push(waiter);
        return;
      }
      waiter.timer = setTimeout(() => {
        this.suspect.splice(this.suspect.indexOf(waiter), 1);
        reject(this.busy());
      }, this.suspectMaxWaitMs);
      this.suspect.push(waiter);
    });
  }

  /** Hands free slots on: clean waiters first, then suspect ones within their share. */
  private startNext(): void {
    while (this.running < this.concurrency) {
      const clean = this.clean.shift();
      if (clean) {
        this.take("clean");
        clean.start();
        continue;
      }
      if (this.suspect.length === 0 || !this.suspectMayStart()) return;
      const suspect = this.suspect.shift()!;
      clearTimeout(suspect.timer);
      this.take("suspect");
      suspect.start();
    }
  }

  private busy(): HashPoolBusyError {
    return new HashPoolBusyError(Math.max(1, Math.ceil((this.queued + 1) / this.concurrency / 2)));
  }
}
