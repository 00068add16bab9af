/**
 * Lints every generated OpenAPI document with Redocly's recommended rules
 * (redocly.yaml); an error fails the test, warnings are printed.
 */
import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { generatedDir, repoRoot } from "../codegen/contract.ts";

const run = promisify(execFile);
const redocly = path.join(repoRoot, "tools/node_modules/@redocly/cli/bin/cli.js");
const documents = (await readdir(path.join(generatedDir, "openapi"))).filter((f) => f.endsWith(".json"));

it.each(documents)("%s lints without errors", async (file) => {
  const result = await run(process.execPath, [redocly, "lint", path.join(generatedDir, "openapi", file), "--format=summary"], {
    cwd: repoRoot,
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
  }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? "", stderr: error.stderr ?? "", failed: true }));
  const output = `${result.stdout}${result.stderr}`;
  const errors = output.split("\n").filter((line) => /^\s*error\s/.test(line));
  if (/warning/.test(output)) console.log(`${file}:\n${output.split("\n").filter((l) => /warning/.test(l)).join("\n")}`);
  expect(errors, output).toEqual([]);
  expect("failed" in result).toBe(false);
});
