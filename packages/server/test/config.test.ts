/** Configuration: every invalid setting is reported at once, named by its variable and flag. */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigError, defaultPostgresLimits, fromEnvironment, parseConfig, type RawSettings } from "../src/config/index.ts";

const run = promisify(execFile);

describe("parseConfig", () => {
  it("has defaults that need nothing installed: embedded PGlite under ./.data, port 8080, loopback", () => {
    const config = parseConfig({}, "/srv/cds");
    expect(config).toEqual({
      issuerUrl: null,
      port: 8080,
      host: "127.0.0.1",
      database: { kind: "pglite", dataDir: "/srv/cds/.data" },
      demoData: false,
      demoYear: false,
      demoClientSecret: null,
      logLevel: "info",
      rateLimitPerMinute: 300,
      trustProxy: false,
      reviewedClientFields: ["cds_status"],
      // No SMTP server: receipt emails wait in the outbox (CDS-WG3-01 §9.4).
      smtpUrl: null,
      mailFrom: "Demo Gas & Electric <no-reply@dge.example>",
      // No docs directory named: the docs are served if @cds-toolkit/docs is installed.
      docsDir: null,
    });
  });

  it("reads the reviewed Client Object fields: a list of §5.5 modifiable fields, or none", () => {
    expect(parseConfig(fromEnvironment({ CDS_REVIEWED_CLIENT_FIELDS: "cds_status, scope,logo_uri scope" })).reviewedClientFields).toEqual(["cds_status", "scope", "logo_uri"]);
    expect(parseConfig({ reviewedClientFields: "none" }).reviewedClientFields).toEqual([]);
    // An empty variable is unset, as for every setting.
    expect(parseConfig(fromEnvironment({ CDS_REVIEWED_CLIENT_FIELDS: "" })).reviewedClientFields).toEqual(["cds_status"]);
  });

  it("reads the environment, and switches to PostgreSQL with DATABASE_URL", () => {
    const raw = fromEnvironment({ PORT: "9000", DATABASE_URL: "postgres://u:p@db.internal:5432/cds", CDS_DEMO_DATA: "true", CDS_ISSUER_URL: "https://dge.example", UNRELATED: "x" });
    const config = parseConfig(raw);
    expect(config.port).toBe(9000);
    // Unset pool and timeout settings take their documented defaults.
    expect(config.database).toEqual({ kind: "postgres", url: "postgres://u:p@db.internal:5432/cds", limits: defaultPostgresLimits });
    expect(config.demoData).toBe(true);
    expect(config.issuerUrl).toBe("https://dge.example");
  });

  it.each<[string, RawSettings, string]>([
    ["a port that is not a number", { port: "http" }, 'PORT (--port): must be an integer from 0 to 65535 (0 picks a free port), got "http"'],
    ["a port out of range", { port: "70000" }, "PORT (--port): must be an integer"],
    ["a host with a path", { host: "example.com/x" }, "HOST (--host): must be a host name or IP address"],
    ["a database URL of another kind", { databaseUrl: "mysql://localhost/db" }, "DATABASE_URL (--database-url): must start with postgres:// or postgresql://"],
    ["a data dir beside a database URL", { databaseUrl: "postgres://localhost/db", dataDir: "x" }, "CDS_DATA_DIR (--data-dir): cannot be combined with DATABASE_URL (--database-url)"],
    ["a demo flag that is not a boolean", { demoData: "maybe" }, 'CDS_DEMO_DATA (--demo-data): must be true or false, got "maybe"'],
    ["a short demo secret", { demoClientSecret: "short" }, "CDS_DEMO_CLIENT_SECRET (--demo-client-secret): must be at least 16 characters"],
    ["an unknown log level", { logLevel: "loud" }, "LOG_LEVEL (--log-level): must be one of fatal, error, warn, info, debug, trace, silent"],
    ["a zero rate limit", { rateLimitPerMinute: "0" }, "CDS_RATE_LIMIT_PER_MINUTE (--rate-limit-per-minute): must be an integer from 1 to 1000000"],
    ["an issuer that is not a URL", { issuerUrl: "dge.example" }, "CDS_ISSUER_URL (--issuer-url): must be an absolute URL"],
    ["a plain-http issuer off loopback", { issuerUrl: "http://dge.example" }, "CDS_ISSUER_URL (--issuer-url): must use https unless the host is a loopback address"],
    ["an issuer with a path", { issuerUrl: "https://dge.example/cds" }, "CDS_ISSUER_URL (--issuer-url): must be an origin only"],
    ["a proxy flag that is not a boolean", { trustProxy: "sometimes" }, "CDS_TRUST_PROXY (--trust-proxy): must be true or false"],
    ["a reviewed field a Client cannot change", { reviewedClientFields: "cds_status,client_id" }, 'CDS_REVIEWED_CLIENT_FIELDS (--reviewed-client-fields): must be none or a comma-separated list of redirect_uris, client_name'],
    ["none beside field names", { reviewedClientFields: "none scope" }, 'got "none"'],
    ["an empty reviewed-fields flag", { reviewedClientFields: "" }, "CDS_REVIEWED_CLIENT_FIELDS (--reviewed-client-fields): must be none or"],
  ])("rejects %s, naming the setting", (_name, raw, message) => {
    expect(() => parseConfig(raw)).toThrow(message);
  });

  it("reports every invalid setting at once", () => {
    try {
      parseConfig({ port: "x", logLevel: "y", issuerUrl: "z" });
      expect.fail("no error");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.setting)).toEqual(["port", "issuerUrl", "logLevel"]);
    }
  });

  it("never echoes a database URL, which may hold a password", () => {
    expect(() => parseConfig({ databaseUrl: "postgres://user:s3cret@[bad" })).toThrow(/not a valid URL/);
    try {
      parseConfig({ databaseUrl: "postgres://user:s3cret@[bad" });
    } catch (error) {
      expect((error as Error).message).not.toContain("s3cret");
    }
  });

  it("accepts an https issuer and loopback http issuers", () => {
    expect(parseConfig({ issuerUrl: "https://dge.example/" }).issuerUrl).toBe("https://dge.example");
    expect(parseConfig({ issuerUrl: "http://localhost:3000" }).issuerUrl).toBe("http://localhost:3000");
  });
});

describe("the CLI", () => {
  const cli = path.join(import.meta.dirname, "../dist/cli.js");

  it("exits with status 2 and names each invalid setting, before opening any database", async () => {
    const result = await run(process.execPath, [cli, "--port", "eighty"], { env: { ...process.env, LOG_LEVEL: "noisy" } }).catch((e: unknown) => e as { code: number; stderr: string; stdout: string });
    expect("code" in result && result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('PORT (--port): must be an integer from 0 to 65535 (0 picks a free port), got "eighty"');
    expect(result.stderr).toContain("LOG_LEVEL (--log-level): must be one of");
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it("rejects unknown flags with the usage", async () => {
    const result = await run(process.execPath, [cli, "--colour"]).catch((e: unknown) => e as { code: number; stderr: string });
    expect("code" in result && result.code).toBe(2);
    expect(result.stderr).toContain("Usage: cds-server");
  });
});
