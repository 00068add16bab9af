/**
 * The TypeScript examples in each package's README compile against the built
 * package, as a consumer would write them: a README that drifts from the
 * contract fails here, not in a user's editor.
 */
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { repoRoot } from "../codegen/contract.ts";

const run = promisify(execFile);
const tsc = createRequire(path.join(repoRoot, "package.json")).resolve("typescript/bin/tsc");
/** Values the examples use without defining, as a reader's own code would supply them. */
const PRELUDE = "declare const response: Response;\ndeclare const entry: unknown;\ndeclare const segment: unknown;\n";
const CHECK_DIR = ".readme-check";

const packages = (await readdir(path.join(repoRoot, "packages"))).sort();
const created: string[] = [];
afterAll(async () => {
  for (const dir of created) await rm(dir, { recursive: true, force: true });
});

function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
}

it.each(packages)("the TypeScript examples in packages/%s/README.md compile", async (pkg) => {
  const blocks = codeBlocks(await readFile(path.join(repoRoot, "packages", pkg, "README.md"), "utf8"));
  expect(blocks.length, `packages/${pkg}/README.md has no \`\`\`ts example`).toBeGreaterThan(0);
  const dir = path.join(repoRoot, "packages", pkg, CHECK_DIR);
  created.push(dir);
  await mkdir(dir, { recursive: true });
  const files = blocks.map((_, i) => `example-${i + 1}.ts`);
  await Promise.all(blocks.map((code, i) => writeFile(path.join(dir, files[i]!), `${PRELUDE}${code}\nexport {};\n`)));
  await writeFile(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: "../../../tsconfig.base.json",
      compilerOptions: { noEmit: true, types: ["node"], lib: ["ES2023", "DOM"], declaration: false, sourceMap: false },
      files,
    }),
  );
  const result = await run(process.execPath, [tsc, "-p", dir]).then(
    () => "",
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
  expect(result).toBe("");
});
