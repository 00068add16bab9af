#!/usr/bin/env node
/** `cds`: binds the program to this process (streams, environment, exit code). */
import { run } from "./program.js";

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("client secret: ");
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, readStdin });
