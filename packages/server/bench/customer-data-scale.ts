/**
 * Customer Data at scale (issue 12 item 5): the demo utility at two sizes in
 * PostgreSQL (accounts, contracts, points, meters, 13 monthly bills each;
 * 15-minute usage for a year on the first `CDS_SCALE_METERS` customers' main
 * electric meters), and the p50 of two reads through the reference data
 * source at each size: one customer's Accounts listing, and one meter's
 * year of usage (a page). Target: p50 grows ≤ 1.5× from the small size to
 * the large one. It also prints the plan of each read at the large size, so
 * a sequential scan shows. Reports; never fails on numbers.
 *
 *   CDS_SCALE_SIZES=1000,100000   customers at each size (a 100k seed takes a long while)
 *   CDS_SCALE_METERS=1000         meters with a year of 15-minute usage
 *   CDS_SCALE_SAMPLES=200         reads per measurement
 */
import { randomInt } from "node:crypto";
import pg from "pg";
import postgresCluster from "../test/setup/postgres-cluster.ts";
import { DatabaseCustomerDataSource } from "../dist/customer-data/database-source.js";
import { openDatabase } from "../dist/db/index.js";
import { runSeed } from "../dist/seed-command.js";
import { demoCustomerId, defaultDemoSize } from "../dist/demo/customer-data/generator.js";

const SIZES = (process.env.CDS_SCALE_SIZES ?? "1000,100000").split(",").map(Number);
const METERS = Number(process.env.CDS_SCALE_METERS ?? 1000);
const SAMPLES = Number(process.env.CDS_SCALE_SAMPLES ?? 200);

/** Every demo customer's first property has an electric meter `md-<n>-001-electric`. */
const meterOf = (i: number) => `md-${1001 + i}-001-electric`;

let adminUrl: string | null = null;
const teardown = await postgresCluster({
  provide(key: string, value: unknown) {
    if (key === "postgresUrl") adminUrl = value as string | null;
  },
} as unknown as Parameters<typeof postgresCluster>[0]);

const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const results: { customers: number; seconds: number; accounts: number; usage: number; plans: string[] }[] = [];

try {
  for (const customers of SIZES) {
    const name = `cds_scale_${customers}`;
    const admin = new pg.Client({ connectionString: adminUrl! });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl!);
    url.pathname = `/${name}`;
    const meters = Math.min(METERS, customers);
    const size = {
      ...defaultDemoSize,
      customers,
      intervalDays: 0,
      meterIntervalDays: Object.fromEntries(Array.from({ length: meters }, (_, i) => [meterOf(i), 365])),
    };
    const started = Date.now();
    let last = 0;
    await runSeed({ size, replace: true, database: { databaseUrl: url.href } }, (line) => {
      if (Date.now() - last > 30_000) {
        last = Date.now();
        console.log(`[scale] ${customers}: ${line}`);
      }
    });
    const seconds = (Date.now() - started) / 1000;
    const database = await openDatabase({ kind: "postgres", url: url.href });
    try {
      await database.db.execute("analyze customer_data_objects" as never);
      const source = new DatabaseCustomerDataSource(database.db, { cellsCacheChars: 0 });
      const after = new Date(Date.parse(defaultDemoSize.until) - 365 * 86_400_000).toISOString();
      const accounts: number[] = [];
      const usage: number[] = [];
      for (let n = 0; n < SAMPLES; n++) {
        const customer = demoCustomerId(randomInt(customers));
        let t = performance.now();
        await source.list("accounts", { owners: [customer], limit: 100 });
        accounts.push(performance.now() - t);
        const i = randomInt(meters);
        t = performance.now();
        await source.list("usage_segments", { owners: [demoCustomerId(i)], filters: { cds_meterdevice_ids: [meterOf(i)] }, after, limit: 100 });
        usage.push(performance.now() - t);
      }
      const plan = async (sql: string) => ((await database.db.execute(`explain ${sql}` as never)) as unknown as { rows: { "QUERY PLAN": string }[] }).rows.map((r) => r["QUERY PLAN"]).join("\n");
      const mid = Math.floor(meters / 2);
      const plans = [
        await plan(`select id from customer_data_objects where kind = 'accounts' and owners && array['${demoCustomerId(Math.floor(customers / 2))}']::text[] order by order_key, id limit 101`),
        await plan(
          `select id from customer_data_objects where kind = 'usage_segments' and owners && array['${demoCustomerId(mid)}']::text[] and filter_keys && array['cds_meterdevice_ids=${meterOf(mid)}']::text[] and range_end >= '${after}' order by order_key, id limit 101`,
        ),
      ];
      results.push({ customers, seconds, accounts: p50(accounts), usage: p50(usage), plans });
      console.log(`[scale] ${customers} customers seeded in ${seconds.toFixed(0)} s: accounts p50 ${p50(accounts).toFixed(1)} ms, usage year page p50 ${p50(usage).toFixed(1)} ms`);
    } finally {
      await database.close();
    }
  }
} finally {
  await teardown?.();
}

const [small, large] = [results[0], results.at(-1)];
console.log(`\nCustomer Data at scale (PostgreSQL, ${SAMPLES} reads each, data source only; target: p50 grows ≤ 1.5×)`);
console.log("| customers | seed | accounts listing p50 | usage year page p50 |");
console.log("|---|---|---|---|");
for (const r of results) console.log(`| ${r.customers.toLocaleString("en")} | ${r.seconds.toFixed(0)} s | ${r.accounts.toFixed(1)} ms | ${r.usage.toFixed(1)} ms |`);
if (small && large && small !== large) console.log(`growth ${small.customers} → ${large.customers}: accounts ${(large.accounts / small.accounts).toFixed(2)}×, usage ${(large.usage / small.usage).toFixed(2)}×`);
for (const r of results.slice(-1)) console.log(`\nplans at ${r.customers}:\n${r.plans.join("\n\n")}`);
