/**
 * Compiles the TypeSpec project into a scratch folder and compares the result
 * with the committed generated/ folder, file by file. Used by the test suite
 * and runnable on its own: `node tools/checks/generated-drift.ts`.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { generatedDir, repoRoot } from "../codegen/contract.ts";

const run = promisify(execFile);
const specDir = path.join(repoRoot, "spec");
const EMITTERS = { "@typespec/openapi3": "openapi", "@typespec/json-schema": "json-schema" } as const;

export interface Drift {
  stale: string[];
  missing: string[];
  extra: string[];
}

export async function compileContract(outDir: string): Promise<void> {
  const tsp = path.join(specDir, "node_modules/@typespec/compiler/cmd/tsp.js");
  const options = Object.entries(EMITTERS).flatMap(([emitter, folder]) => ["--option", `${emitter}.emitter-output-dir=${path.join(outDir, folder)}`]);
  await run(process.execPath, [tsp, "compile", ".", "--warn-as-error", "--no-emit-stdout", ...options], { cwd: specDir }).catch(async (error) => {
    // older compilers have no --no-emit-stdout; retry without it
    if (!String(error.stderr ?? "").includes("no-emit-stdout")) throw error;
    await run(process.execPath, [tsp, "compile", ".", "--warn-as-error", ...options], { cwd: specDir });
  });
}

export async function findDrift(): Promise<Drift> {
  const scratch = await mkdtemp(path.join(tmpdir(), "cds-contract-"));
  try {
    await compileContract(scratch);
    const fresh = await listFiles(scratch);
    const committed = await listFiles(generatedDir);
    const stale: string[] = [];
    for (const file of fresh.filter((f) => committed.includes(f))) {
      const [a, b] = await Promise.all([readFile(path.join(scratch, file)), readFile(path.join(generatedDir, file))]);
      if (!a.equals(b)) stale.push(file);
    }
    return { stale, missing: fresh.filter((f) => !committed.includes(f)), extra: committed.filter((f) => !fresh.includes(f)) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

if (import.meta.main) {
  const drift = await findDrift();
  const total = drift.stale.length + drift.missing.length + drift.extra.length;
  for (const [kind, files] of Object.entries(drift)) for (const f of files) console.log(`${kind}: generated/${f}`);
  console.log(total ? `generated/ is out of date with spec/ (${total} files); run \`pnpm build\` and commit generated/` : "generated/ matches spec/");
  process.exitCode = total ? 1 : 0;
}
