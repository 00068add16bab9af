/**
 * A bounded least-recently-used map of strings, sized by characters: what
 * the Usage Segments listing keeps of segment JSON between requests. Keys
 * name content (a segment id with the hash of its stored cells), so an entry
 * can never be stale: a rewritten segment has a new key, and the old entry
 * ages out.
 */
export class TextCache {
  private readonly entries = new Map<string, string>();
  private size = 0;
  private readonly capacity: number;

  /** `capacity`: characters kept in all (keys and values). */
  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get(key: string): string | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: string): void {
    const cost = key.length + value.length;
    if (cost > this.capacity) return;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.size -= key.length + old.length;
    }
    this.entries.set(key, value);
    this.size += cost;
    for (const [k, v] of this.entries) {
      if (this.size <= this.capacity) break;
      this.entries.delete(k);
      this.size -= k.length + v.length;
    }
  }
}
