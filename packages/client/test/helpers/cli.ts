/** Runs the `cds` program in-process with captured streams and its own config file. */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { run } from "../../src/cli/program.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function tempConfig(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), "cds-cli-")), "cds", "config.json");
}

/** Starts the program; `output` sees standard output as it is written (for commands that wait, such as authorize). */
export function startCli(args: string[], env: Record<string, string> = {}, onStdout?: (text: string) => void): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    onStdout?.(out);
  });
  stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  return run(args, { stdout, stderr, env: { ...env } }).then((code) => ({ code, stdout: out, stderr: err }));
}

export const cli = (args: string[], env: Record<string, string> = {}) => startCli(args, env);
