/**
 * A small in-memory cache whose entries die when the database announces a
 * change that concerns them (change-feed.ts), whichever instance made it:
 * the rule the bearer-token cache follows (oauth/bearer-token.ts), for other
 * rows the hot paths read, such as the token endpoint's Client Objects and
 * accepted secret checks (oauth/client-cache.ts).
 *
 * - An entry names the notices that end it (`c:<client_id>`, `k:<credential
 *   id>`, ...); `*` ends every entry.
 * - A value read while any notice arrived is not stored (its reads may
 *   predate the change): callers take `generation` before reading and pass it
 *   to `set`.
 * - Nothing is trusted while the feed is not live, and on PostgreSQL a hit is
 *   served only after `sync` (every change committed before the call has
 *   been delivered); callers may pass a sync shared by one request.
 * - An entry may carry its own deadline (a Credential's expiry): the clock
 *   changes no row, so nothing would announce it.
 * - Bounded by entries and, when given a `weigh`, by total weight (bytes of
 *   prebuilt pages): the oldest entries go first.
 */
import type { ChangeFeed } from "./change-feed.js";

interface Entry<V> {
  value: V;
  notices: string[];
  /** Milliseconds since the epoch after which the entry is dead; null for none. */
  deadline: number | null;
  weight: number;
}

export class FeedCache<K, V> {
  readonly #entries = new Map<K, Entry<V>>();
  /** Notice → the keys it ends. */
  readonly #byNotice = new Map<string, Set<K>>();
  readonly #changes: ChangeFeed | null;
  readonly #maxEntries: number;
  readonly #weigh: ((value: V) => number) | undefined;
  readonly #maxWeight: number;
  #weight = 0;
  readonly #unsubscribe: () => void;
  #generation = 0;

  /**
   * `changes` null: cache nothing (every read goes to the database). With
   * `weigh`, the values held weigh at most `maxWeight` in all; a value heavier
   * than that alone is not stored.
   */
  constructor(changes: ChangeFeed | null, maxEntries: number, bound: { weigh: (value: V) => number; maxWeight: number } | null = null) {
    this.#changes = changes;
    this.#maxEntries = maxEntries;
    this.#weigh = bound?.weigh;
    this.#maxWeight = bound?.maxWeight ?? Number.POSITIVE_INFINITY;
    this.#unsubscribe = changes ? changes.subscribe((notice) => this.#onNotice(notice)) : () => {};
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Bumped by every notice: take it before reading the database, give it to `set`. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * The live value for `key`, once every change committed before the call has
   * been announced. `sync` replaces the feed's own (a request that already
   * synced need not wait again).
   */
  async find(key: K, sync?: () => Promise<boolean>): Promise<V | undefined> {
    if (!this.#entries.has(key) || !this.#changes) return undefined;
    if (!(await (sync ?? (() => this.#changes!.sync()))())) return undefined;
    return this.get(key);
  }

  /** The value as held now, without waiting for announcements in transit. */
  get(key: K, now = Date.now()): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (!this.#changes?.live || (entry.deadline !== null && entry.deadline <= now)) {
      this.#drop(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores a value read by a lookup that began at `generation`, unless a notice came since. */
  set(key: K, value: V, notices: string[], generation: number, deadline: number | null = null): void {
    if (generation !== this.#generation || !this.#changes?.live) return;
    // The value held so far is replaced, even by one too heavy to keep: never left standing for a newer read.
    if (this.#entries.has(key)) this.#drop(key);
    const weight = this.#weigh ? this.#weigh(value) : 0;
    if (weight > this.#maxWeight) return;
    while (this.#entries.size > 0 && (this.#entries.size >= this.#maxEntries || this.#weight + weight > this.#maxWeight)) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#drop(oldest.value);
    }
    this.#entries.set(key, { value, notices, deadline, weight });
    this.#weight += weight;
    for (const notice of notices) {
      let keys = this.#byNotice.get(notice);
      if (!keys) this.#byNotice.set(notice, (keys = new Set()));
      keys.add(key);
    }
  }

  /** Stops listening and forgets everything (the server is closing). */
  close(): void {
    this.#unsubscribe();
    this.#entries.clear();
    this.#byNotice.clear();
    this.#weight = 0;
  }

  #onNotice(notice: string): void {
    this.#generation++;
    if (notice === "*") {
      this.#entries.clear();
      this.#byNotice.clear();
      this.#weight = 0;
      return;
    }
    const keys = this.#byNotice.get(notice);
    if (keys) for (const key of [...keys]) this.#drop(key);
  }

  #drop(key: K): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#weight -= entry.weight;
    for (const notice of entry.notices) {
      const keys = this.#byNotice.get(notice);
      keys?.delete(key);
      if (keys?.size === 0) this.#byNotice.delete(notice);
    }
  }
}
