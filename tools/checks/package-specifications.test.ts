/**
 * Every published package says which specification revisions it implements
 * (`cds.specifications` in its package.json), and they must agree: a consumer
 * mixing our packages should never get two readings of one spec. The
 * contract packages are built from all three specs, so each names all three.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const packages = readdirSync(path.join(root, "packages")).map((dir) => ({
  dir,
  manifest: JSON.parse(readFileSync(path.join(root, "packages", dir, "package.json"), "utf8")) as { private?: boolean; cds?: { specifications?: Record<string, string> } },
}));
const specs = ["CDS-WG1-01", "CDS-WG1-02", "CDS-WG3-01"];

describe("cds.specifications in every published package", () => {
  const published = packages.filter((p) => !p.manifest.private);
  it.each(published.map((p) => [p.dir, p.manifest] as const))("%s names the revision of each of the three specifications", (_dir, manifest) => {
    expect(Object.keys(manifest.cds?.specifications ?? {}).sort()).toEqual(specs);
  });
  it("all packages name the same revision of each specification", () => {
    for (const spec of specs) {
      const revisions = new Set(published.map((p) => p.manifest.cds?.specifications?.[spec]));
      expect([...revisions], spec).toHaveLength(1);
    }
  });
});
