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
 *
 * `peek` answers without a promise, for hot paths that answer in the same
 * tick; once a value is past half its age it also starts the next load in
 * the background, so a steady stream of requests finds a fresh value instead
 * of waiting on the database every `maxAgeMs`. What it answers is never
 * older than `get`'s: `maxAgeMs` from the start of the load that read it.
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
  /** `peek` has started the next load (at most one per entry; a failed one is not retried before the entry expires). */
  refreshing?: boolean;
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
    if (!entry?.settled) return undefined;
    const now = this.#now();
    const age = now - entry.loadedAt;
    if (age >= this.#options.maxAgeMs) return undefined;
    if (age >= this.#options.maxAgeMs / 2 && !entry.refreshing) this.#refresh(key, entry, now);
    return entry.settled;
  }

  /** Loads `key` again while `entry` is still served; the new value replaces it only if nothing else did meanwhile. */
  #refresh(key: K, entry: Entry<V>, startedAt: number): void {
    entry.refreshing = true;
    const value = this.#load(key);
    value.then(
      (loaded) => {
        // Dropped (`invalidate()`: a load begun before it may predate the write that caused it) or reloaded by `get`: keep what is there.
        if (this.#entries.get(key) !== entry) return;
        this.#entries.delete(key);
        this.#entries.set(key, { loadedAt: startedAt, value, settled: { value: loaded } });
      },
      // The entry is served until it expires; then `get` loads (and reports) as usual.
      () => {},
    );
  }

  /** Drops every value: the next request for each key loads it again. */
  invalidate(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
