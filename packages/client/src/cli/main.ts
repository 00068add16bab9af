#!/usr/bin/env -S node --max-semi-space-size=8
/**
 * `cds`: binds the program to this process (streams, environment, exit code).
 * The shebang caps V8's young generation: an export allocates fast and drops
 * everything, and Node 24's larger default semi-space let peak RSS pass 250 MB
 * for no gain in speed (pnpm bench measures with the same flag).
 */
import { run } from "./program.js";

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("client secret: ");
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, readStdin });
