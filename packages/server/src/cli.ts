#!/usr/bin/env node
/**
 * `cds-server`: runs the reference server. Settings come from flags, then the
 * environment (see config/settings.ts). Standard output carries exactly one
 * line, the base URL, once the server listens; everything else (logs,
 * notices) goes to standard error.
 */
import { parseArgs } from "node:util";
import { ConfigError, fromEnvironment, parseConfig, settings, type RawSettings, type SettingKey } from "./config/index.js";
import { createServer } from "./server.js";

const usage = `Usage: cds-server [options]

Options (each also read from the environment variable shown):
${(Object.keys(settings) as SettingKey[])
  .map((key) => `  --${settings[key].flag.padEnd(24)} ${settings[key].env}`)
  .join("\n")}
  --no-demo-data             CDS_DEMO_DATA=false
  --help
`;

function parseFlags(argv: string[]): RawSettings {
  const options = Object.fromEntries(
    (Object.keys(settings) as SettingKey[]).map((key) => [settings[key].flag, { type: key === "demoData" || key === "trustProxy" ? "boolean" : "string" }]),
  ) as Record<string, { type: "string" | "boolean" }>;
  const { values } = parseArgs({ args: argv, options: { ...options, help: { type: "boolean" } }, allowNegative: true, strict: true });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const raw: RawSettings = {};
  for (const key of Object.keys(settings) as SettingKey[]) {
    const value = (values as Record<string, string | boolean | undefined>)[settings[key].flag];
    if (value !== undefined) raw[key] = String(value);
  }
  return raw;
}

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig({ ...fromEnvironment(process.env), ...parseFlags(process.argv.slice(2)) });
  } catch (error) {
    if (error instanceof ConfigError || (error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
      process.stderr.write(`${error.message}\n\n${usage}`);
      process.exit(2);
    }
    throw error;
  }

  const server = await createServer({ config });
  if (server.demoClient) {
    const { clientId, generatedSecret } = server.demoClient;
    // A demo convenience: the secret is shown once, on the start that created it, and never logged.
    process.stderr.write(
      generatedSecret
        ? `Demo client created: client_id=${clientId} client_secret=${generatedSecret}\n(shown only now; set CDS_DEMO_CLIENT_SECRET to choose your own)\n`
        : `Demo client: client_id=${clientId} (secret as configured or shown on first start)\n`,
    );
    const app = server.demoClient.app;
    if (app?.generatedSecret) process.stderr.write(`Demo app created: client_id=${app.clientId} client_secret=${app.generatedSecret}\n(shown only now)\n`);
  }
  const url = await server.listen();
  process.stdout.write(`${url}\n`);

  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  // One line, no stack: the cause is in the message (a port in use, an unreachable database).
  process.stderr.write(`cds-server failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
