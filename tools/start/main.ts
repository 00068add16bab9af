/**
 * The main job (`pnpm start`). Until the reference server exists, it is the
 * build of every artifact (done by the `start` script before this runs) and a
 * report of where each one is.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { generatedDir, repoRoot } from "../codegen/contract.ts";

async function count(dir: string, suffix: string): Promise<number> {
  return (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(suffix)).length;
}

async function size(file: string): Promise<string> {
  return `${((await stat(file)).size / 1024).toFixed(1)} KiB`;
}

const rel = (p: string) => path.relative(process.cwd(), p) || ".";
const lines: string[] = ["CDS toolkit: every artifact is built.", ""];

lines.push("Contract (generated/, committed):");
for (const file of (await readdir(path.join(generatedDir, "openapi"))).sort()) {
  const full = path.join(generatedDir, "openapi", file);
  lines.push(`  OpenAPI 3.1        ${rel(full)} (${await size(full)})`);
}
lines.push(`  JSON Schema 2020-12 ${rel(path.join(generatedDir, "json-schema"))}/ (${await count(path.join(generatedDir, "json-schema"), ".json")} models)`);
lines.push("", "Packages:");
for (const dir of (await readdir(path.join(repoRoot, "packages"))).sort()) {
  const pkg = JSON.parse(await readFile(path.join(repoRoot, "packages", dir, "package.json"), "utf8")) as { name: string; version: string };
  const dist = path.join(repoRoot, "packages", dir, "dist");
  lines.push(`  ${`${pkg.name}@${pkg.version}`.padEnd(34)} ${rel(dist)}/ (${await count(dist, ".js")} modules)`);
}
lines.push("", `Spec examples: ${rel(path.join(repoRoot, "spec/examples"))}/ (${await count(path.join(repoRoot, "spec/examples"), ".json")} files); errata: ${rel(path.join(repoRoot, "spec/ERRATA.md"))}`);
console.log(lines.join("\n"));
