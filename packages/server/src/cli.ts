#!/usr/bin/env node
/**
 * `cds-server`: runs the reference server. Settings come from flags, then the
 * environment (see config/settings.ts). Standard output carries exactly one
 * line, the base URL, once the server listens; everything else (logs,
 * notices) goes to standard error. `cds-server seed …` writes a demo utility
 * of a chosen size instead (./seed-command.ts).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError, fromEnvironment, parseConfig, settings, type RawSettings, type SettingKey } from "./config/index.js";
import { usageText } from "./config/setting-help.js";
import { docsPaths } from "./routes/docs-site.js";
import { createServer } from "./server.js";
import { ExistingDataError, parseSeedArgs, runSeed, SeedUsageError, seedUsage } from "./seed-command.js";

const usage = usageText();

/** The installed package's version, read from its package.json next to dist/. */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** The walkthrough the landing page links (the docs' Client quickstart), and the same steps in the READMEs. */
const walkthrough = (url: string) =>
  `${url}${docsPaths.docs}guides/client-quickstart.html (also README.md#trying-the-reference-server in the repository)`;

function parseFlags(argv: string[]): RawSettings {
  const options = Object.fromEntries(
    (Object.keys(settings) as SettingKey[]).map((key) => [settings[key].flag, { type: key === "demoData" || key === "demoYear" || key === "trustProxy" ? "boolean" : "string" }]),
  ) as Record<string, { type: "string" | "boolean" }>;
  const { values } = parseArgs({ args: argv, options: { ...options, help: { type: "boolean" }, version: { type: "boolean" } }, allowNegative: true, strict: true });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  if (values.version) {
    process.stdout.write(`${version()}\n`);
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
        : config.demoClientSecret
          ? `Demo client: client_id=${clientId} (secret: your CDS_DEMO_CLIENT_SECRET)\n`
          : `Demo client: client_id=${clientId}; its secret was shown on the first start and only its hash is kept.\n` +
            `Lost it? Restart with CDS_DEMO_CLIENT_SECRET=<16+ characters> to make that the secret of demo-client and demo-app.\n` +
            (config.database.kind === "pglite" && config.database.dataDir
              ? `Or stop the server and delete ${config.database.dataDir} to start over with new data and a new secret.\n`
              : ""),
    );
    const app = server.demoClient.app;
    if (app?.generatedSecret) process.stderr.write(`Demo app created: client_id=${app.clientId} client_secret=${app.generatedSecret}\n(shown only now)\n`);
    const direct = server.demoClient.direct;
    if (direct?.generatedSecret) process.stderr.write(`Demo direct access client created: client_id=${direct.clientId} client_secret=${direct.generatedSecret}\n(shown only now)\n`);
  }
  const url = await server.listen();
  if (server.demoClient) process.stderr.write(`Demo walkthrough: ${walkthrough(url)}; metadata at ${url}/.well-known/cds-server-metadata.json\n`);
  process.stdout.write(`${url}\n`);

  // One Ctrl-C can arrive twice: from the terminal, and forwarded by `pnpm start` to its script. With
  // `once`, the second found no listener and killed the process mid-close, so pnpm printed ELIFECYCLE.
  // Later signals are therefore ignored; a close that hangs ends after 10 s with status 1.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** `cds-server seed`: exit 0 when seeded, 2 on bad arguments or data already there, 1 on any other failure. */
async function seed(argv: string[]): Promise<void> {
  try {
    const options = parseSeedArgs(argv, process.env);
    if (!options) {
      process.stdout.write(seedUsage);
      return;
    }
    await runSeed(options, (line) => process.stderr.write(`${line}\n`));
  } catch (error) {
    if (error instanceof SeedUsageError) {
      process.stderr.write(`cds-server seed: ${error.message}\n\n${seedUsage}`);
      process.exit(2);
    }
    if (error instanceof ExistingDataError) {
      process.stderr.write(`cds-server seed: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`cds-server seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

(process.argv[2] === "seed" ? seed(process.argv.slice(3)) : main()).catch((error: unknown) => {
  // One line, no stack: the cause is in the message (a port in use, an unreachable database).
  process.stderr.write(`cds-server failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
