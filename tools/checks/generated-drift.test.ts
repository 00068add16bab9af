import { expect, it } from "vitest";
import { findDrift } from "./generated-drift.ts";

it("generated/ is exactly what spec/ compiles to (run `pnpm build` and commit generated/ when this fails)", async () => {
  const drift = await findDrift();
  expect(drift).toEqual({ stale: [], missing: [], extra: [] });
});
