/**
 * A small in-memory cache for documents built from the database (the CDS
 * metadata document, coverage pages, the CDS fields of the RFC 8414
 * document). A value is reused for at most `maxAgeMs` after it was loaded;
 * after that the next request loads it again (one database round trip per key
 * per second at most, whatever the request rate), so a change written by any
 * instance sharing the database is served everywhere within `maxAgeMs`.
 * Writes made through this instance call `invalidate()` and are seen at once.
 *
 * Concurrent requests for a key that needs loading share one load.
 */
export interface FreshCacheOptions {
  /** How long a loaded value is served without asking the database again. */
  maxAgeMs: number;
  /** At most this many keys are kept; the oldest loaded is dropped first. */
  maxEntries: number;
  /** The clock (milliseconds); tests may pass their own. */
  now?: () => number;
}

interface Entry<V> {
  loadedAt: number;
  value: Promise<V>;
  /** The loaded value, once the load has resolved: what `peek` answers without a promise. */
  settled?: { value: V };
}

export class FreshCache<K, V> {
  readonly #entries = new Map<K, Entry<V>>();
  readonly #load: (key: K) => Promise<V>;
  readonly #options: FreshCacheOptions;
  readonly #now: () => number;

  constructor(load: (key: K) => Promise<V>, options: FreshCacheOptions) {
    this.#load = load;
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  get(key: K): Promise<V> {
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (entry && now - entry.loadedAt < this.#options.maxAgeMs) return entry.value;
    const value = this.#load(key);
    const fresh: Entry<V> = { loadedAt: now, value };
    if (this.#entries.has(key)) this.#entries.delete(key);
    else if (this.#entries.size >= this.#options.maxEntries) this.#entries.delete(this.#entries.keys().next().value as K);
    this.#entries.set(key, fresh);
    value.then(
      (loaded) => {
        fresh.settled = { value: loaded };
      },
      // A failed load is never served again: the next request retries.
      () => {
        if (this.#entries.get(key) === fresh) this.#entries.delete(key);
      },
    );
    return value;
  }

  /**
   * The value `get` would answer right now without loading anything: loaded,
   * and younger than `maxAgeMs`; undefined otherwise (then `get` loads). For
   * hot paths that answer in the same tick (no promise per request), and
   * fall back to `get` when this misses.
   */
  peek(key: K): { value: V } | undefined {
    const entry = this.#entries.get(key);
    if (!entry?.settled || this.#now() - entry.loadedAt >= this.#options.maxAgeMs) return undefined;
    return entry.settled;
  }

  /** Drops every value: the next request for each key loads it again. */
  invalidate(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
