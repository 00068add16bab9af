/**
 * The `cds` command line, on commander (see the package README for why).
 * `run(argv, io)` is the whole program, so tests drive it in-process; main.ts
 * only binds it to the process.
 */
import { Command, CommanderError, Option } from "commander";
import { readFileSync } from "node:fs";
import { configPath, entry } from "./config.js";
import { registerCommand, type RegisterOptions } from "./commands/register.js";
import { CliContext, type GlobalOptions, type Io } from "./context.js";
import { authorizeCommand } from "./commands/authorize.js";
import { listCommand, getCommand, parseFilters } from "./commands/list.js";
import { usageExportCommand } from "./commands/usage.js";
import { describeError, EXIT, exitCodeOf, UsageError } from "./exit.js";
import { introspectToken } from "../oauth/authorization-code.js";
import { oauthContext } from "../oauth/context.js";

export const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

const collect = (value: string, previous: string[] = []) => [...previous, value];

export async function run(argv: string[], io: Io): Promise<number> {
  const program = new Command("cds");
  let context: CliContext | null = null;
  const ctx = () => {
    if (!context) {
      const options = program.opts<GlobalOptions>();
      context = new CliContext(io, options, options.config ?? configPath(io.env));
    }
    return context;
  };
  program
    .description("A client of the LF Energy Connected Data Specifications (CDS): discover a utility, register, authorize, list data and export interval usage")
    .version(version, "-V, --version")
    .addOption(new Option("-s, --server <server>", "the Server: a hostname or URL (default: $CDS_SERVER, then the last one used)"))
    .addOption(new Option("--config <file>", "the per-user config file (default: $CDS_CONFIG or ~/.config/cds/config.json)"))
    .option("--json", "machine-readable output")
    .option("--strict", "check the Server's answers with the strict validators (for Server developers)")
    .option("--insecure-http", "allow plain http to hosts other than loopback")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  program
    .command("discover")
    .description("follow the discovery chain of a Server (CDS-WG1-01 §5, CDS-WG1-02 §3) and remember it")
    .argument("[server]", "a hostname or URL")
    .option("--coverage", "also read every coverage entry")
    .action(async (server: string | undefined, options: { coverage?: boolean }) => {
      const c = ctx();
      const discovery = await c.discovery(server);
      let coverage: Array<{ id: string; name: string }> | undefined;
      if (options.coverage) {
        const { discover } = await import("../discovery/discover.js");
        coverage = (await discover(discovery.metadataUrl, { coverage: true, allowInsecureHttp: discovery.allowInsecureHttp, mode: discovery.mode })).coverage as never;
      }
      const as = discovery.authorizationServer;
      if (c.options.json) return c.json({ metadata_url: discovery.metadataUrl, server_metadata: discovery.serverMetadata, authorization_server: as, customer_data: discovery.customerData !== null, coverage });
      c.out(`${discovery.serverMetadata.name} (${discovery.metadataUrl})`);
      c.out(`  issuer:          ${as.issuer}`);
      c.out(`  registration:    ${as.registration_endpoint}`);
      c.out(`  scopes:          ${Object.keys(as.cds_scope_descriptions ?? {}).join(" ")}`);
      c.out(`  customer data:   ${discovery.customerData ? `CDS-WG3-01 ${discovery.customerData.cds_customerdata_version}` : "not offered"}`);
      if (coverage) c.out(`  coverage:        ${coverage.length} entries (${coverage.map((e) => e.id).join(", ")})`);
    });

  program
    .command("register")
    .description("register a Client (CDS-WG1-02 §4) and store its credentials (never printed)")
    .requiredOption("--scope <scopes>", "space-separated scopes, such as \"cds_client_admin cds_grant_admin_1\"")
    .requiredOption("--name <name>", "client_name")
    .option("--contact <email>", "a contact (repeatable)", collect)
    .option("--redirect-uri <uri>", "a loopback redirect URI for `cds authorize` (repeatable): added to each authorization-code Client Object of the registration, with a new Credential", collect)
    .option("--field <name=value>", "another registration field, as JSON when it parses (repeatable)", collect)
    .action(async (options: RegisterOptions) => registerCommand(ctx(), options));

  program
    .command("use-client")
    .description("store an existing Client Object's credentials; the secret comes from $CDS_CLIENT_SECRET or standard input")
    .requiredOption("--client-id <id>", "client_id")
    .option("--admin", "use it for the admin APIs (cds_client_admin)")
    .option("--app", "use it for `cds authorize` (authorization code)")
    .option("--redirect-uri <uri>", "its redirect URI, for `cds authorize`")
    .action(async (options: { clientId: string; admin?: boolean; app?: boolean; redirectUri?: string }) => {
      const c = ctx();
      const secret = io.env.CDS_CLIENT_SECRET ?? (io.readStdin ? (await io.readStdin()).trim() : "");
      if (!secret) throw new UsageError("CDS_CLIENT_SECRET", "required: the client secret, in the environment or on standard input");
      const key = await c.serverKey();
      await c.config.update((config) => {
        const server = entry(config, key);
        server.clients[options.clientId] = { client_id: options.clientId, client_secret: secret, ...(options.redirectUri ? { redirect_uri: options.redirectUri } : {}) };
        if (options.admin) server.admin = options.clientId;
        if (options.app) server.app = options.clientId;
        config.current = key;
      });
      c.out(`Stored ${options.clientId} for ${key}`);
    });

  program
    .command("token")
    .description("get a client_credentials access token (cached and renewed before expiry); shows its scope and expiry")
    .option("--scope <scope>", "the scope", "cds_client_admin")
    .option("--client-id <id>", "the Client Object (default: the admin one)")
    .option("--authorization-details <json>", "RFC 9396 details, such as a cds_grant_admin entry")
    .option("--print", "print the access token itself (for piping into another tool)")
    .action(async (options: { scope: string; clientId?: string; authorizationDetails?: string; print?: boolean }) => {
      const c = ctx();
      const details = options.authorizationDetails === undefined ? undefined : parseJsonOption("--authorization-details", options.authorizationDetails);
      if (details !== undefined && !Array.isArray(details)) throw new UsageError("--authorization-details", "must be a JSON array of authorization detail objects");
      const tokens = await c.clientCredentials(options.scope, options.clientId, details as unknown[] | undefined);
      const token = await tokens.accessToken();
      if (options.print) return c.out(token);
      const stored = await tokens.tokens();
      const { key, entry: server } = await c.entry();
      const client = server.clients[options.clientId ?? server.admin ?? ""]!;
      const info = await introspectToken(oauthContext(await c.discovery()), client.client_id, client.client_secret, token).catch(() => null);
      const summary = { scope: stored?.scope ?? options.scope, expires_at: stored?.expires_at ? new Date(stored.expires_at * 1000).toISOString() : null, active: info?.active ?? null, server: key };
      if (c.options.json) return c.json(summary);
      c.out(`token for ${summary.scope}: active=${summary.active}, expires ${summary.expires_at ?? "(not said)"}`);
    });

  program
    .command("authorize")
    .description("the authorization-code flow: PAR + PKCE S256 + authorization_details; listens on the loopback redirect URI and completes the exchange")
    .option("--client-id <id>", "the Client Object (default: the one `use-client --app` stored)")
    .requiredOption("--scope <scope>", "the scope to ask for")
    .option("--details <json>", "authorization_details, a JSON array")
    .option("--grant-id <id>", "cds_grant_id: the Grant this request modifies")
    .option("--redirect-uri <uri>", "a loopback redirect URI registered for the Client Object (default: the stored one)")
    .option("--timeout <seconds>", "how long to wait for the browser", "300")
    .action(async (options: { clientId?: string; scope: string; details?: string; grantId?: string; redirectUri?: string; timeout: string }) => authorizeCommand(ctx(), options));

  program
    .command("list")
    .description("list a resource, following every page")
    .argument("<resource>", "clients, credentials, grants, messages, accounts, aggregations, bill-sections, bill-statements, energy-attribute-certificates, meter-devices, service-contracts, service-points, usage-segments")
    .option("--filter <name=value>", "a query parameter of the operation (repeatable; repeated names make a list)", collect)
    .option("--limit <n>", "stop after n items")
    .action(async (resource: string, options: { filter?: string[]; limit?: string }) => listCommand(ctx(), resource, options));

  program
    .command("get")
    .description("get one Client Object, Credential, Grant or Message")
    .argument("<resource>", "clients, credentials, grants or messages")
    .argument("<id>", "its id")
    .action(async (resource: string, id: string) => getCommand(ctx(), resource, id));

  program
    .command("grants")
    .description("list the registration's Grants (the same as `cds list grants`)")
    .option("--filter <name=value>", "a query parameter of listGrants (repeatable)", collect)
    .action(async (options: { filter?: string[] }) => listCommand(ctx(), "grants", options));

  const usage = program.command("usage").description("interval usage (CDS-WG3-01 §10.8)");
  usage
    .command("export")
    .description("export a meter's interval usage between two times, streaming, one row per interval")
    .option("--meter <number>", "meter_numbers filter (repeatable)", collect)
    .option("--meter-device <id>", "cds_meterdevice_ids filter (repeatable)", collect)
    .option("--service-point <id>", "cds_servicepoint_ids filter (repeatable)", collect)
    .requiredOption("--from <time>", "start, an RFC 3339 date or date-time (inclusive)")
    .requiredOption("--to <time>", "end, an RFC 3339 date or date-time (exclusive)")
    .addOption(new Option("--format <format>", "output format").choices(["csv", "jsonl"]).default("csv"))
    .option("--interval <seconds>", "only segments of this interval length, such as 900 (a meter's 15-minute days, not its billing periods); also counts intervals no segment covers")
    .option("--output <file>", "write to a file instead of standard output")
    .option("--filter <name=value>", "another listUsageSegments parameter (repeatable)", collect)
    .action(async (options) => usageExportCommand(ctx(), options));

  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    io.stderr.write(`${describeError(error)}\n`);
    return exitCodeOf(error);
  }
}

export function parseJsonOption(option: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(option, `must be JSON (${(error as Error).message})`);
  }
}

export { parseFilters };
