/**
 * The changelog: each package's CHANGELOG.md once versions are released, and
 * before that the pending changesets (`.changeset/*.md`), grouped by package
 * with their bump. Read from the files changesets itself writes and reads.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { frontMatter, text } from "./markdown.ts";
import type { Page } from "./reference-pages.ts";

interface Changeset {
  name: string;
  bumps: Array<{ pkg: string; bump: string }>;
  summary: string;
}

export function parseChangeset(name: string, source: string): Changeset | null {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source);
  if (!match) return null;
  const bumps = [...match[1]!.matchAll(/^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/gm)].map((m) => ({ pkg: m[1]!, bump: m[2]! }));
  return { name, bumps, summary: match[2]!.trim() };
}

export async function changesPage(repoRoot: string): Promise<Page> {
  const dir = path.join(repoRoot, ".changeset");
  const files = (await readdir(dir)).filter((f) => f.endsWith(".md") && f !== "README.md").sort();
  const changesets = (await Promise.all(files.map(async (f) => parseChangeset(f.replace(/\.md$/, ""), await readFile(path.join(dir, f), "utf8"))))).filter(
    (c): c is Changeset => c !== null,
  );
  const byPackage = new Map<string, Array<{ bump: string; summary: string; name: string }>>();
  for (const c of changesets) for (const { pkg, bump } of c.bumps) byPackage.set(pkg, [...(byPackage.get(pkg) ?? []), { bump, summary: c.summary, name: c.name }]);

  const released: string[] = [];
  for (const pkg of (await readdir(path.join(repoRoot, "packages"))).sort()) {
    const log = await readFile(path.join(repoRoot, "packages", pkg, "CHANGELOG.md"), "utf8").catch(() => null);
    if (log) released.push(`## Released: @cds-toolkit/${pkg}`, "", text(log.replace(/^# .*\n/, "")), "");
  }

  const order = { major: 0, minor: 1, patch: 2 } as Record<string, number>;
  const pending = [...byPackage.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([pkg, entries]) => [
      `### ${pkg}`,
      "",
      ...entries.sort((a, b) => order[a.bump]! - order[b.bump]! || a.name.localeCompare(b.name)).map((e) => `- **${e.bump}** (\`${e.name}\`): ${text(e.summary).replace(/\n+/g, " ")}`),
      "",
    ]);
  const content = [
    frontMatter({ title: "Changes" }),
    "# Changes",
    "",
    "What changed in the packages, from the changesets each change carries (`pnpm changeset`).",
    "",
    ...(released.length ? released : ["No version has been released yet: every change below is pending the first release."]),
    "",
    `## Pending release (${changesets.length} changesets)`,
    "",
    ...pending,
  ].join("\n");
  return { path: "changes.md", content };
}
