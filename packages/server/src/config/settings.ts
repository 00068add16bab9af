/**
 * Every setting of the server, with the environment variable and CLI flag that
 * set it. Errors name both, so an operator can fix whichever one they used.
 */
export interface SettingName {
  /** Environment variable, such as `PORT`. */
  env: string;
  /** CLI flag without its dashes, such as `port`. */
  flag: string;
}

export const settings = {
  issuerUrl: { env: "CDS_ISSUER_URL", flag: "issuer-url" },
  port: { env: "PORT", flag: "port" },
  host: { env: "HOST", flag: "host" },
  databaseUrl: { env: "DATABASE_URL", flag: "database-url" },
  dataDir: { env: "CDS_DATA_DIR", flag: "data-dir" },
  dbPoolSize: { env: "CDS_DB_POOL_SIZE", flag: "db-pool-size" },
  dbConnectTimeoutMs: { env: "CDS_DB_CONNECT_TIMEOUT_MS", flag: "db-connect-timeout-ms" },
  dbStatementTimeoutMs: { env: "CDS_DB_STATEMENT_TIMEOUT_MS", flag: "db-statement-timeout-ms" },
  demoData: { env: "CDS_DEMO_DATA", flag: "demo-data" },
  demoClientSecret: { env: "CDS_DEMO_CLIENT_SECRET", flag: "demo-client-secret" },
  demoYear: { env: "CDS_DEMO_YEAR", flag: "demo-year" },
  logLevel: { env: "LOG_LEVEL", flag: "log-level" },
  rateLimitPerMinute: { env: "CDS_RATE_LIMIT_PER_MINUTE", flag: "rate-limit-per-minute" },
  trustProxy: { env: "CDS_TRUST_PROXY", flag: "trust-proxy" },
  reviewedClientFields: { env: "CDS_REVIEWED_CLIENT_FIELDS", flag: "reviewed-client-fields" },
  smtpUrl: { env: "CDS_SMTP_URL", flag: "smtp-url" },
  mailFrom: { env: "CDS_MAIL_FROM", flag: "mail-from" },
  docsDir: { env: "CDS_DOCS_DIR", flag: "docs-dir" },
} as const satisfies Record<string, SettingName>;

export type SettingKey = keyof typeof settings;

/** How a setting is named in messages: `PORT (--port)`. */
export function describeSetting(key: SettingKey): string {
  const { env, flag } = settings[key];
  return `${env} (--${flag})`;
}
