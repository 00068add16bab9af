/**
 * What npm shows a consumer about each published package: where its source,
 * home page and issue tracker are (`repository` with the package's
 * `directory`, `homepage`, `bugs`) and what to find it by (`keywords`). The
 * repository URL is a placeholder until the repository is published (README,
 * Contributing); all packages must name the same one, so replacing it is one
 * search and replace.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

interface Manifest {
  private?: boolean;
  keywords?: string[];
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
}

const root = path.resolve(import.meta.dirname, "../..");
const published = readdirSync(path.join(root, "packages"))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(path.join(root, "packages", dir, "package.json"), "utf8")) as Manifest }))
  .filter((p) => !p.manifest.private);

const repository = (m: Manifest) => m.repository?.url?.replace(/^git\+/, "").replace(/\.git$/, "");

it.each(published.map((p) => [p.dir, p.manifest] as const))("packages/%s names its repository, home page, issue tracker and keywords", (dir, m) => {
  expect(m.repository?.type).toBe("git");
  expect(m.repository?.url).toMatch(/^git\+https:\/\/.+\.git$/);
  expect(m.repository?.directory).toBe(`packages/${dir}`);
  expect(m.homepage?.startsWith(`${repository(m)}/`)).toBe(true);
  expect(m.bugs?.url).toBe(`${repository(m)}/issues`);
  expect(m.keywords).toEqual(expect.arrayContaining(["lf-energy", "cds"]));
});

it("every package names the same repository", () => {
  expect(new Set(published.map((p) => repository(p.manifest))).size).toBe(1);
});
