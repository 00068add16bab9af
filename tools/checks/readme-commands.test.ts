import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { repoRoot } from "../codegen/contract.ts";

/** The README states each of the two commands in the first fenced block after its label. */
async function readmeCommand(label: string): Promise<string> {
  const readme = await readFile(path.join(repoRoot, "README.md"), "utf8");
  const match = new RegExp(`${label}[\\s\\S]*?\`\`\`(?:sh|bash)?\\n([^\\n]+)\\n\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no command block after "${label}"`);
  return match[1]!.trim();
}

it("CI runs exactly the README's test command", async () => {
  const ci = await readFile(path.join(repoRoot, ".ci/run"), "utf8");
  const lastLine = ci.trim().split("\n").at(-1)!.trim();
  expect(lastLine).toBe(await readmeCommand("Run every test"));
});

it("the README's two commands set up pnpm themselves and share it", async () => {
  const start = await readmeCommand("Run the main job");
  const test = await readmeCommand("Run every test");
  const setup = (cmd: string) => cmd.split("&&")[0]!.trim();
  expect(setup(start)).toBe(setup(test));
  expect(start).toMatch(/pnpm@10\.\d+\.\d+ start$/);
  expect(test).toMatch(/pnpm@10\.\d+\.\d+ test$/);
  const rootPackage = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { packageManager: string };
  expect(test).toContain(rootPackage.packageManager);
});

it("pnpm checks engines against the Node the scripts run on (a clean install prints no engine warning)", async () => {
  const workspace = await readFile(path.join(repoRoot, "pnpm-workspace.yaml"), "utf8");
  const rootPackage = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
  expect(/^nodeVersion:\s*(\S+)\s*$/m.exec(workspace)?.[1]).toBe(rootPackage.devDependencies.node);
});
