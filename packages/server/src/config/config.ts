import path from "node:path";
import { defaultReviewedClientFields, isModifiableClientField, modifiableClientFields, type ModifiableClientField } from "../cds/review-policy.js";
import { describeSetting, settings, type SettingKey } from "./settings.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
const logLevels: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** Where the data lives: embedded PGlite in a directory (or in memory), or a PostgreSQL server. */
export type DatabaseConfig =
  | { kind: "pglite"; dataDir: string | null }
  | { kind: "postgres"; url: string; limits?: PostgresLimits };

/**
 * How much a PostgreSQL server may be asked for, and how long anything may
 * wait on it: a request never waits longer than `connectTimeoutMs` for a
 * connection (a pooled one or a new one) plus `statementTimeoutMs` for its
 * query, and then answers 503 (http/database-unavailable.ts). Optional so
 * that a hand-built configuration keeps compiling; absent means
 * `defaultPostgresLimits`.
 */
export interface PostgresLimits {
  /** Connections this instance opens at most (the pool size); requests beyond wait for a free one. */
  poolSize: number;
  /** How long a query waits for a connection, pooled or new, before it fails. */
  connectTimeoutMs: number;
  /** How long PostgreSQL lets one statement run (`statement_timeout`); the client gives up a second later. */
  statementTimeoutMs: number;
}

export const defaultPostgresLimits: PostgresLimits = { poolSize: 10, connectTimeoutMs: 3000, statementTimeoutMs: 10_000 };

export interface ServerConfig {
  /**
   * The public base URL: the OAuth issuer identifier, and the origin of every
   * URL the server publishes. An origin only (no path), so the well-known URIs
   * sit where RFC 8414 and CDS-WG1-01 §3.1 put them. `null`: the listening
   * address (`http://127.0.0.1:<port>`), known once the port is.
   */
  issuerUrl: string | null;
  port: number;
  host: string;
  database: DatabaseConfig;
  demoData: boolean;
  /** Seed the walkthrough meter with every day of the demo year at 15 minutes (the README's `cds usage export`). */
  demoYear: boolean;
  /** A fixed secret for the demo client; when null, one is generated on first start. */
  demoClientSecret: string | null;
  logLevel: LogLevel;
  /** Requests per minute and client address on the public and OAuth endpoints. */
  rateLimitPerMinute: number;
  /** Trust `X-Forwarded-For` from a reverse proxy when reading the client address. */
  trustProxy: boolean;
  /**
   * Client Object fields whose changes wait for the Server's review
   * (CDS-WG1-02 §5.5: 202 and a `field_changes` Message). Optional so that a
   * hand-built configuration keeps compiling; absent means
   * `defaultReviewedClientFields` (`cds_status`).
   */
  reviewedClientFields?: readonly ModifiableClientField[];
  /**
   * The SMTP server receipt notifications go to (CDS-WG3-01 §9.4), as an
   * `smtp://` or `smtps://` URL; null: they wait in the outbox the operator
   * API reads. Optional so that hand-built configurations keep compiling.
   */
  smtpUrl?: string | null;
  /** The sender of those messages. */
  mailFrom?: string;
  /**
   * The built docs site served at /docs/ (an absolute directory). Absent or
   * null: the `@cds-toolkit/docs` package's build, if the consumer installed
   * it; the server does not depend on that 40 MiB package.
   */
  docsDir?: string | null;
}

export interface ConfigIssue {
  setting: SettingKey;
  message: string;
}

/** Every problem found in the configuration at once, each naming its setting. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super(["Invalid configuration:", ...issues.map((i) => `  - ${describeSetting(i.setting)}: ${i.message}`)].join("\n"));
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** Raw values by setting, as strings from the environment or flags (flags win). */
export type RawSettings = Partial<Record<SettingKey, string>>;

export const defaults = {
  port: 8080,
  host: "127.0.0.1",
  dataDir: ".data",
  logLevel: "info" as LogLevel,
  rateLimitPerMinute: 300,
};

/** Reads each setting from the environment. */
export function fromEnvironment(env: NodeJS.ProcessEnv): RawSettings {
  const raw: RawSettings = {};
  for (const key of Object.keys(settings) as SettingKey[]) {
    const value = env[settings[key].env];
    if (value !== undefined && value !== "") raw[key] = value;
  }
  return raw;
}

/**
 * Validates raw settings into a `ServerConfig`, or throws a `ConfigError`
 * that lists every invalid setting. `cwd` anchors a relative data directory.
 */
export function parseConfig(raw: RawSettings, cwd: string = process.cwd()): ServerConfig {
  const issues: ConfigIssue[] = [];
  const fail = (setting: SettingKey, message: string) => {
    issues.push({ setting, message });
  };

  const port = parsePort(raw.port, fail);
  const host = raw.host?.trim() || defaults.host;
  if (/[\s/]/.test(host)) fail("host", `must be a host name or IP address, got ${JSON.stringify(raw.host)}`);

  const database = parseDatabase(raw, cwd, fail);
  const issuerUrl = parseIssuer(raw.issuerUrl, fail);
  const demoData = parseBoolean("demoData", raw.demoData, false, fail);
  const trustProxy = parseBoolean("trustProxy", raw.trustProxy, false, fail);
  const demoYear = parseBoolean("demoYear", raw.demoYear, false, fail);

  let demoClientSecret: string | null = null;
  if (raw.demoClientSecret !== undefined) {
    // Short demo secrets would teach a bad habit; 16 characters is the floor.
    if (raw.demoClientSecret.length < 16 || /[\s:]/.test(raw.demoClientSecret)) {
      fail("demoClientSecret", "must be at least 16 characters, without spaces or colons");
    } else {
      demoClientSecret = raw.demoClientSecret;
    }
  }

  const logLevel = (raw.logLevel ?? defaults.logLevel) as LogLevel;
  if (!logLevels.includes(logLevel)) fail("logLevel", `must be one of ${logLevels.join(", ")}, got ${JSON.stringify(raw.logLevel)}`);

  let rateLimitPerMinute = defaults.rateLimitPerMinute;
  if (raw.rateLimitPerMinute !== undefined) {
    const n = Number(raw.rateLimitPerMinute);
    if (!/^\d+$/.test(raw.rateLimitPerMinute) || n < 1 || n > 1_000_000) {
      fail("rateLimitPerMinute", `must be an integer from 1 to 1000000, got ${JSON.stringify(raw.rateLimitPerMinute)}`);
    } else {
      rateLimitPerMinute = n;
    }
  }

  const reviewedClientFields = parseReviewedFields(raw.reviewedClientFields, fail);

  let smtpUrl: string | null = null;
  if (raw.smtpUrl !== undefined && raw.smtpUrl.trim()) {
    let url: URL | null = null;
    try {
      url = new URL(raw.smtpUrl);
    } catch {
      url = null;
    }
    if (!url || !["smtp:", "smtps:"].includes(url.protocol) || !url.hostname) fail("smtpUrl", "must be an smtp:// or smtps:// URL with a host");
    else smtpUrl = raw.smtpUrl;
  }
  const mailFrom = raw.mailFrom?.trim() || "Demo Gas & Electric <no-reply@dge.example>";

  const docsDir = raw.docsDir?.trim() ? path.resolve(cwd, raw.docsDir.trim()) : null;

  if (issues.length) throw new ConfigError(issues);
  return { issuerUrl: issuerUrl ?? null, port: port!, host, database: database!, demoData, demoYear, demoClientSecret, logLevel, rateLimitPerMinute, trustProxy, reviewedClientFields, smtpUrl, mailFrom, docsDir };
}

type Fail = (setting: SettingKey, message: string) => void;

function parsePort(value: string | undefined, fail: Fail): number | undefined {
  if (value === undefined) return defaults.port;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) {
    fail("port", `must be an integer from 0 to 65535 (0 picks a free port), got ${JSON.stringify(value)}`);
    return undefined;
  }
  return n;
}

function parseBoolean(setting: SettingKey, value: string | undefined, fallback: boolean, fail: Fail): boolean {
  if (value === undefined) return fallback;
  const v = value.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  fail(setting, `must be true or false, got ${JSON.stringify(value)}`);
  return fallback;
}

/** A comma- or space-separated list of §5.5 modifiable fields, or `none` (an empty variable reads as unset). */
function parseReviewedFields(value: string | undefined, fail: Fail): readonly ModifiableClientField[] {
  if (value === undefined) return defaultReviewedClientFields;
  const names = value.split(/[\s,]+/).filter(Boolean);
  if (names.length === 1 && names[0] === "none") return [];
  const unknown = names.filter((n) => !isModifiableClientField(n));
  if (!names.length || unknown.length) {
    const shown = unknown.length ? `, got ${unknown.map((n) => JSON.stringify(n)).join(", ")}` : "";
    fail("reviewedClientFields", `must be none or a comma-separated list of ${modifiableClientFields.join(", ")}${shown}`);
    return defaultReviewedClientFields;
  }
  return [...new Set(names.filter(isModifiableClientField))];
}

function parseDatabase(raw: RawSettings, cwd: string, fail: Fail): DatabaseConfig | undefined {
  if (raw.databaseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(raw.databaseUrl);
    } catch {
      // The value may hold a password: never echo it.
      fail("databaseUrl", "is not a valid URL (expected postgres://user:password@host:port/database)");
      return undefined;
    }
    if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
      fail("databaseUrl", `must start with postgres:// or postgresql://, got ${url.protocol}//`);
      return undefined;
    }
    if (raw.dataDir !== undefined) fail("dataDir", `cannot be combined with ${describeSetting("databaseUrl")}: the data directory is for the embedded database only`);
    const limits = {
      poolSize: parseInteger("dbPoolSize", raw.dbPoolSize, defaultPostgresLimits.poolSize, 1, 1000, fail),
      connectTimeoutMs: parseInteger("dbConnectTimeoutMs", raw.dbConnectTimeoutMs, defaultPostgresLimits.connectTimeoutMs, 100, 600_000, fail),
      statementTimeoutMs: parseInteger("dbStatementTimeoutMs", raw.dbStatementTimeoutMs, defaultPostgresLimits.statementTimeoutMs, 100, 3_600_000, fail),
    };
    return { kind: "postgres", url: raw.databaseUrl, limits };
  }
  const dir = raw.dataDir ?? defaults.dataDir;
  return { kind: "pglite", dataDir: path.resolve(cwd, dir) };
}

/** An integer setting within [min, max]; the fallback when unset. The embedded database ignores the PostgreSQL limits (one process, no pool). */
function parseInteger(setting: SettingKey, value: string | undefined, fallback: number, min: number, max: number, fail: Fail): number {
  if (value === undefined) return fallback;
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
    fail(setting, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
    return fallback;
  }
  return n;
}

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** The base URL of a server listening on `host:port` with no issuer URL configured. */
export function defaultIssuerUrl(host: string, port: number): string {
  // A wildcard bind address is not a URL a client can use; loopback is.
  const shown = host === "0.0.0.0" || host === "::" || host === "localhost" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

function parseIssuer(value: string | undefined, fail: Fail): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail("issuerUrl", `must be an absolute URL such as https://utility.example, got ${JSON.stringify(value)}`);
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    fail("issuerUrl", `must use https, got ${JSON.stringify(value)}`);
    return undefined;
  }
  // RFC 8414 §2 and RFC 9700 §2: an issuer is https; plain http is for loopback development only.
  if (url.protocol === "http:" && !loopbackHosts.has(url.hostname)) {
    fail("issuerUrl", `must use https unless the host is a loopback address, got ${JSON.stringify(value)}`);
    return undefined;
  }
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
    fail("issuerUrl", `must be an origin only (scheme, host and port, no path, query, fragment or credentials), got ${JSON.stringify(value)}`);
    return undefined;
  }
  return url.origin;
}
