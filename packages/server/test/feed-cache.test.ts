/**
 * src/db/feed-cache.ts against a model: for any sequence of stores (some
 * overtaken by a notice), notices and feed outages, it holds exactly what a
 * plain ordered map would hold under the same rules, never more than its
 * entry and weight bounds, oldest out first.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import type { ChangeFeed, ChangeListener } from "../src/db/change-feed.ts";
import { FeedCache } from "../src/db/feed-cache.ts";

class FakeFeed implements ChangeFeed {
  live = true;
  readonly #listeners = new Set<ChangeListener>();
  sync = () => Promise.resolve(this.live);
  subscribe(listener: ChangeListener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  emit(notice: string) {
    for (const l of this.#listeners) l(notice);
  }
  close = async () => {};
}

const keys = ["a", "b", "c", "d", "e"];
const notices = ["n1", "n2", "n3"];
type Op =
  | { op: "set"; key: string; weight: number; notices: string[]; overtaken: boolean }
  | { op: "notice"; notice: string }
  | { op: "outage" };

const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant("set" as const), key: fc.constantFrom(...keys), weight: fc.integer({ min: 0, max: 12 }), notices: fc.subarray(notices), overtaken: fc.boolean() }),
    fc.record({ op: fc.constant("notice" as const), notice: fc.constantFrom(...notices, "*") }),
    fc.record({ op: fc.constant("outage" as const) }),
  ),
  { maxLength: 40 },
);

it("holds what an ordered model holds, within its entry and weight bounds, for any operations", async () => {
  await fc.assert(
    fc.asyncProperty(ops, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 20 }), async (sequence: Op[], maxEntries, maxWeight) => {
      const feed = new FakeFeed();
      const cache = new FeedCache<string, { weight: number; serial: number }>(feed, maxEntries, { weigh: (v) => v.weight, maxWeight });
      // The model: insertion-ordered entries with their notices.
      let model: { key: string; weight: number; serial: number; notices: string[] }[] = [];
      let serial = 0;
      for (const step of sequence) {
        if (step.op === "set") {
          const generation = cache.generation;
          if (step.overtaken) feed.emit("unrelated");
          const value = { weight: step.weight, serial: serial++ };
          cache.set(step.key, value, step.notices, generation);
          if (step.overtaken) continue;
          model = model.filter((e) => e.key !== step.key);
          if (step.weight > maxWeight) continue;
          while (model.length && (model.length >= maxEntries || model.reduce((w, e) => w + e.weight, 0) + step.weight > maxWeight)) model.shift();
          model.push({ key: step.key, weight: step.weight, serial: value.serial, notices: step.notices });
        } else if (step.op === "notice") {
          feed.emit(step.notice);
          model = step.notice === "*" ? [] : model.filter((e) => !e.notices.includes(step.notice));
        } else {
          // The feed goes down and comes back: whatever was held is not trusted (the real feed also sends `*`).
          feed.live = false;
          for (const k of keys) expect(await cache.find(k)).toBeUndefined();
          feed.live = true;
          feed.emit("*");
          model = [];
        }
        expect(cache.size).toBe(model.length);
        expect(model.length).toBeLessThanOrEqual(maxEntries);
        expect(model.reduce((w, e) => w + e.weight, 0)).toBeLessThanOrEqual(maxWeight);
        for (const k of keys) expect((await cache.find(k))?.serial).toBe(model.find((e) => e.key === k)?.serial);
      }
      cache.close();
    }),
    { numRuns: 300 },
  );
});
