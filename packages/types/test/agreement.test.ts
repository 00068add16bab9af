/**
 * The package build type-checks src/generated/agreement.check.ts, which states
 * that openapi-typescript and json-schema-to-typescript produced the same type
 * for every model. This test proves that check has teeth: on a copy of the
 * generated sources it passes as is, and fails once one generator's output
 * differs in a single property.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";

const run = promisify(execFile);
const generated = path.resolve(import.meta.dirname, "../src/generated");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "cds-types-agreement-"));
  await cp(generated, dir, { recursive: true });
  await writeFile(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", skipLibCheck: true, types: [] },
      files: ["agreement.check.ts"],
    }),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function typecheck(): Promise<{ ok: boolean; output: string }> {
  try {
    await run(process.execPath, [tsc, "-p", dir]);
    return { ok: true, output: "" };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

it("accepts the generated types as they are", async () => {
  expect(await typecheck()).toEqual({ ok: true, output: "" });
});

it("fails, naming the model, when the two generators disagree on one property", async () => {
  const models = path.join(dir, "models.ts");
  const source = await readFile(models, "utf8");
  const changed = source.replace(/(export interface CoverageEntry \{[\s\S]*?\n)entity_name: string/, "$1entity_name?: string");
  expect(changed).not.toEqual(source);
  await writeFile(models, changed);

  const result = await typecheck();
  expect(result.ok).toBe(false);
  expect(result.output).toMatch(/types differ/);
  expect(result.output).toMatch(/CoverageEntry/);
});
