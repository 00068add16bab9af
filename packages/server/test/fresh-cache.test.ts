/**
 * FreshCache (http/fresh-cache.ts): `peek` never answers a value older than
 * `get` would (maxAgeMs from the start of the load that read it), reloads
 * ahead in the background past half that age, and never stores a background
 * load that an `invalidate()` overtook.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FreshCache } from "../src/http/fresh-cache.ts";

/** A cache over a fake clock and a database that is a counter, bumped by `write`; loads resolve when `settle` is called. */
function harness(maxAgeMs: number) {
  let clock = 0;
  let data = 0;
  const pending: (() => void)[] = [];
  let loads = 0;
  const cache = new FreshCache<"k", { data: number; readAt: number; load: number }>(
    () => {
      loads++;
      // The load reads the data as it starts (a snapshot), and resolves later.
      const read = { data, readAt: clock, load: loads };
      return new Promise((resolve) => pending.push(() => resolve(read)));
    },
    { maxAgeMs, maxEntries: 1, now: () => clock },
  );
  return {
    cache,
    tick: (ms: number) => (clock += ms),
    write: () => ++data,
    get now() {
      return clock;
    },
    get loads() {
      return loads;
    },
    /** Resolves every load in flight, and lets their callbacks run. */
    async settle() {
      for (const resolve of pending.splice(0)) resolve();
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe("FreshCache peek", () => {
  it("misses until a load has resolved, then answers without loading", async () => {
    const h = harness(1000);
    expect(h.cache.peek("k")).toBeUndefined();
    const loading = h.cache.get("k");
    expect(h.cache.peek("k")).toBeUndefined();
    await h.settle();
    expect((await loading).data).toBe(0);
    expect(h.cache.peek("k")?.value.data).toBe(0);
    expect(h.loads).toBe(1);
  });

  it("reloads ahead past half the age, and the new value replaces the old one", async () => {
    const h = harness(1000);
    const first = h.cache.get("k");
    await h.settle();
    await first;
    h.write();
    h.tick(600);
    expect(h.cache.peek("k")?.value.data).toBe(0);
    expect(h.loads).toBe(2);
    // One background load at a time.
    expect(h.cache.peek("k")?.value.data).toBe(0);
    expect(h.loads).toBe(2);
    await h.settle();
    expect(h.cache.peek("k")?.value.data).toBe(1);
  });

  it("drops a background load that an invalidate() overtook", async () => {
    const h = harness(1000);
    const first = h.cache.get("k");
    await h.settle();
    await first;
    h.tick(600);
    h.cache.peek("k");
    h.cache.invalidate();
    await h.settle();
    expect(h.cache.peek("k")).toBeUndefined();
  });

  it("never answers a value read more than maxAgeMs before, nor one whose load began before an invalidate(), whatever the sequence", async () => {
    const step = fc.oneof(
      fc.constant({ kind: "peek" as const }),
      fc.constant({ kind: "get" as const }),
      fc.constant({ kind: "write" as const }),
      fc.constant({ kind: "settle" as const }),
      fc.constant({ kind: "invalidate" as const }),
      fc.integer({ min: 1, max: 700 }).map((ms) => ({ kind: "tick" as const, ms })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const h = harness(1000);
        // Loads numbered below this began before the last invalidate().
        let firstAfterInvalidate = 0;
        for (const s of steps) {
          if (s.kind === "tick") h.tick(s.ms);
          else if (s.kind === "write") h.write();
          else if (s.kind === "settle") await h.settle();
          else if (s.kind === "invalidate") {
            h.cache.invalidate();
            firstAfterInvalidate = h.loads + 1;
          }
          else if (s.kind === "get") void h.cache.get("k");
          else {
            const held = h.cache.peek("k");
            if (!held) continue;
            expect(h.now - held.value.readAt).toBeLessThan(1000);
            expect(held.value.load).toBeGreaterThanOrEqual(firstAfterInvalidate);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
