/**
 * `cds-server seed`: writes a demo utility of any size (./demo/customer-data)
 * into the configured database (the PGlite data directory, or DATABASE_URL),
 * a part of customers at a time, so memory stays flat however large it is.
 * Progress goes to standard error; standard output stays empty.
 *
 * A database that already holds customer data is refused (exit 2) unless
 * `--replace` is given, which deletes every customer data object first: a
 * seed must never mix into an operator's data by accident.
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { ConfigError, fromEnvironment, parseConfig, type RawSettings } from "./config/index.js";
import { storeCustomerData } from "./customer-data/database-source.js";
import { openDatabase } from "./db/index.js";
import { customerDataObjects } from "./db/schema.js";
import { defaultDemoSize, demoUtilityParts, type DemoUtilitySize } from "./demo/customer-data/generator.js";
import { demoCustomers } from "./demo/customers.js";

export const seedUsage = [
  "Usage: cds-server seed --customers <n> --months <m> [options]",
  "",
  "Writes a deterministic demo utility (accounts, contracts, service points,",
  "meters, bills, usage, certificates, aggregations) into the database the",
  "server uses: DATABASE_URL, or else the PGlite data directory.",
  "",
  "Options:",
  "  --customers <n>       customers in all (the demo logins are always among them)",
  "  --months <m>          months of bills and usage, ending at --until (1-120)",
  `  --interval <s>        seconds per usage interval, dividing a day (default ${defaultDemoSize.intervalSeconds})`,
  "  --interval-days <d>   days of interval usage ending at --until (default: every day of the months)",
  `  --seed <k>            the seed; the same seed and size give the same data (default ${defaultDemoSize.seed})`,
  `  --until <datetime>    the instant the data ends (default ${defaultDemoSize.until})`,
  "  --replace             delete the customer data already there first",
  "  --data-dir <dir>      PGlite data directory (env CDS_DATA_DIR)",
  "  --database-url <url>  PostgreSQL instead (env DATABASE_URL)",
  "  --help                print this text",
  "",
].join("\n");

export class SeedUsageError extends Error {}

export interface SeedOptions {
  size: DemoUtilitySize;
  replace: boolean;
  database: RawSettings;
}

const integer = (name: string, value: string | undefined, min: number, max: number): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new SeedUsageError(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
  return Number(value);
};

/** Reads the subcommand's arguments (after `seed`); throws SeedUsageError on anything wrong. `null` means `--help`. */
export function parseSeedArgs(argv: string[], env: NodeJS.ProcessEnv): SeedOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        customers: { type: "string" },
        months: { type: "string" },
        interval: { type: "string" },
        "interval-days": { type: "string" },
        seed: { type: "string" },
        until: { type: "string" },
        replace: { type: "boolean" },
        "data-dir": { type: "string" },
        "database-url": { type: "string" },
        help: { type: "boolean" },
      },
    }));
  } catch (error) {
    throw new SeedUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return null;
  const customers = integer("customers", values.customers, 1, 10_000_000);
  const months = integer("months", values.months, 1, 120);
  if (customers === undefined || months === undefined) throw new SeedUsageError("--customers and --months are required");
  const intervalSeconds = integer("interval", values.interval, 60, 86_400) ?? defaultDemoSize.intervalSeconds;
  if (86_400 % intervalSeconds !== 0) throw new SeedUsageError(`--interval must divide a day (86400 s) evenly (got ${intervalSeconds})`);
  const until = values.until ?? defaultDemoSize.until;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(until) || Number.isNaN(Date.parse(until))) throw new SeedUsageError(`--until must be an RFC 3339 datetime (got ${JSON.stringify(until)})`);
  const intervalDays = integer("interval-days", values["interval-days"], 0, 366 * 10);
  const size: DemoUtilitySize = {
    customers,
    months,
    intervalSeconds,
    seed: integer("seed", values.seed, 0, 2 ** 32 - 1) ?? defaultDemoSize.seed,
    until: new Date(until).toISOString(),
    ...(intervalDays !== undefined ? { intervalDays } : {}),
  };
  const database: RawSettings = { ...fromEnvironment(env) };
  if (values["data-dir"] !== undefined) database.dataDir = values["data-dir"];
  if (values["database-url"] !== undefined) database.databaseUrl = values["database-url"];
  return { size, replace: values.replace ?? false, database: { ...(database.dataDir !== undefined ? { dataDir: database.dataDir } : {}), ...(database.databaseUrl !== undefined ? { databaseUrl: database.databaseUrl } : {}) } };
}

export class ExistingDataError extends Error {}

/** Seeds as the options say, reporting progress through `progress` (one line each). Returns the number of objects written. */
export async function runSeed(options: SeedOptions, progress: (line: string) => void): Promise<number> {
  let config;
  try {
    config = parseConfig(options.database);
  } catch (error) {
    if (error instanceof ConfigError) throw new SeedUsageError(error.message);
    throw error;
  }
  const database = await openDatabase(config.database);
  try {
    const db = database.db;
    const [row] = await db.select({ any: sql<number>`1` }).from(customerDataObjects).limit(1);
    if (row && !options.replace) throw new ExistingDataError("the database already holds customer data; run again with --replace to delete it and seed anew");
    if (row) {
      await db.delete(customerDataObjects);
      progress("seed: deleted the customer data that was there");
    }
    const started = Date.now();
    const total = Math.max(options.size.customers, demoCustomers.length);
    let customers = 0;
    let objects = 0;
    for (const part of demoUtilityParts(options.size)) {
      // Interval-heavy rows are large; smaller batches keep each INSERT statement a sensible size.
      await storeCustomerData(db, part.objects, part.numbers, 200);
      customers += part.customers.length;
      objects += part.objects.length;
      progress(`seed: ${customers}/${total} customers, ${objects} objects, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    progress(`seed: done, ${objects} objects in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return objects;
  } finally {
    await database.close();
  }
}
