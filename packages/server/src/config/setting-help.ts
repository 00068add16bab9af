/**
 * What `cds-server --help` says about each setting: its meaning and its
 * default. Kept next to `settings` and typed by its keys, so a new setting
 * cannot ship without help text (the compiler refuses a missing key).
 * Defaults come from `defaults` where one exists, so help and behaviour agree.
 */
import { defaultReviewedClientFields } from "../cds/review-policy.js";
import { defaultPostgresLimits, defaults } from "./config.js";
import { settings, type SettingKey } from "./settings.js";

export interface SettingHelp {
  /** One line: what the setting does. */
  description: string;
  /** The value used when neither the flag nor the variable is set. */
  default: string;
  /** How the flag takes its value: `<value>` for strings, nothing for switches. */
  value?: string;
}

export const settingHelp: Record<SettingKey, SettingHelp> = {
  port: { description: "Port to listen on; 0 picks a free one", default: String(defaults.port), value: "<port>" },
  host: { description: "Address to listen on", default: defaults.host, value: "<address>" },
  issuerUrl: {
    description: "Public base URL and OAuth issuer (an origin; https unless loopback)",
    default: "http://<host>:<port>",
    value: "<url>",
  },
  databaseUrl: { description: "postgres://… URL of a PostgreSQL server to use instead of the embedded database", default: "(embedded PGlite)", value: "<url>" },
  dataDir: { description: "Where the embedded PGlite database lives (without DATABASE_URL)", default: `./${defaults.dataDir}`, value: "<dir>" },
  dbPoolSize: { description: "With DATABASE_URL: connections this instance opens at most", default: String(defaultPostgresLimits.poolSize), value: "<n>" },
  dbConnectTimeoutMs: {
    description: "With DATABASE_URL: how long a request waits for a connection before answering 503",
    default: String(defaultPostgresLimits.connectTimeoutMs),
    value: "<ms>",
  },
  dbStatementTimeoutMs: {
    description: "With DATABASE_URL: how long one statement may run before the request answers 503",
    default: String(defaultPostgresLimits.statementTimeoutMs),
    value: "<ms>",
  },
  demoData: { description: "Seed the demo utility, clients, customers and Grants (--no-demo-data turns it off)", default: "false" },
  demoClientSecret: {
    description: "Secret of demo-client and demo-app (16+ characters); replaces the stored one on every start",
    default: "generated on first start, shown once",
    value: "<secret>",
  },
  demoYear: {
    description: "With --demo-data: give the walkthrough meter (Alex's electric meter M001001001E) a year of 15-minute usage for `cds usage export`; the other meters keep their last 4 days",
    default: "false",
  },
  logLevel: { description: "fatal, error, warn, info, debug, trace or silent", default: defaults.logLevel, value: "<level>" },
  rateLimitPerMinute: { description: "Requests per minute and client address", default: String(defaults.rateLimitPerMinute), value: "<n>" },
  trustProxy: { description: "Read the client address from X-Forwarded-For (behind a reverse proxy)", default: "false" },
  reviewedClientFields: {
    description: "Client Object fields whose changes wait for review (comma-separated, or none)",
    default: defaultReviewedClientFields.join(","),
    value: "<fields>",
  },
  smtpUrl: { description: "smtp:// or smtps:// URL of the server that sends Authorization Receipt notifications", default: "(none: receipts are kept in the mail outbox only)", value: "<url>" },
  mailFrom: { description: "Sender address of those notifications", default: "Demo Gas & Electric <no-reply@dge.example>", value: "<address>" },
  docsDir: {
    description: "The built docs site (packages/docs/dist) to serve at /docs/",
    default: "@cds-toolkit/docs if installed, else /docs/ answers 503",
    value: "<dir>",
  },
};

/** The full `--help` text. */
export function usageText(): string {
  const rows = (Object.keys(settings) as SettingKey[]).map((key) => {
    const help = settingHelp[key];
    const flag = `--${settings[key].flag}${help.value ? ` ${help.value}` : ""}`;
    return `  ${flag}\n      ${help.description}\n      env ${settings[key].env}; default: ${help.default}`;
  });
  return [
    "Usage: cds-server [options]",
    "",
    "Runs the CDS reference server. Each option can also be set through the",
    "environment variable shown; a flag wins over its variable.",
    "",
    "Options:",
    ...rows,
    "  --help",
    "      Print this text and exit",
    "  --version",
    "      Print the version and exit",
    "",
    "Standard output carries one line, the base URL, once the server listens.",
    "",
    "Commands:",
    "  cds-server seed --customers <n> --months <m> [--interval <s>] [--seed <k>] [--replace]",
    "      Write a demo utility of that size into the database and exit (seed --help for more)",
    "",
  ].join("\n");
}
