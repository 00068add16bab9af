/**
 * `cds-conformance <url>`: runs the suite against a Server, prints the
 * readable report, writes JSON and JUnit XML where asked, and exits 1 when a
 * scenario failed (2 on bad usage).
 */
import { readFile, writeFile } from "node:fs/promises";
import { Command } from "commander";
import { chromiumDriver } from "./drivers/chromium.js";
import { loadMustCatalogue, mustCoverage } from "./musts.js";
import type { Credentials } from "./options.js";
import { junitReport } from "./report/junit.js";
import { resultLine, textReport } from "./report/text.js";
import { runConformance, selectScenarios } from "./run.js";
import { scenarios } from "./scenarios/index.js";

interface Flags {
  credentials?: string;
  clientId?: string;
  clientSecret?: string;
  appClientId?: string;
  appClientSecret?: string;
  appRedirectUri?: string;
  appScope?: string;
  customer?: string;
  otherCustomer?: string;
  filesClientId?: string;
  directAccessClientId?: string;
  only?: string[];
  previousMetadataUrl?: string;
  json?: string;
  junit?: string;
  chromium?: string;
  list?: boolean;
}

/** Flags override the credentials file; secrets may come from the environment so they stay out of shell history. */
async function credentialsFrom(flags: Flags): Promise<Credentials> {
  const file: Credentials = flags.credentials ? (JSON.parse(await readFile(flags.credentials, "utf8")) as Credentials) : {};
  const env = process.env;
  const adminId = flags.clientId ?? env.CDS_CONFORMANCE_CLIENT_ID;
  const adminSecret = flags.clientSecret ?? env.CDS_CONFORMANCE_CLIENT_SECRET;
  if (adminId && adminSecret) file.clientAdmin = { clientId: adminId, clientSecret: adminSecret };
  const appId = flags.appClientId ?? env.CDS_CONFORMANCE_APP_CLIENT_ID;
  const appSecret = flags.appClientSecret ?? env.CDS_CONFORMANCE_APP_CLIENT_SECRET;
  if (appId && appSecret && flags.appRedirectUri && flags.appScope) file.app = { clientId: appId, clientSecret: appSecret, redirectUri: flags.appRedirectUri, scope: flags.appScope };
  const filesId = flags.filesClientId ?? env.CDS_CONFORMANCE_FILES_CLIENT_ID;
  const filesSecret = env.CDS_CONFORMANCE_FILES_CLIENT_SECRET;
  if (filesId && filesSecret) file.filesClientAdmin = { clientId: filesId, clientSecret: filesSecret };
  const directId = flags.directAccessClientId ?? env.CDS_CONFORMANCE_DIRECT_ACCESS_CLIENT_ID;
  const directSecret = env.CDS_CONFORMANCE_DIRECT_ACCESS_CLIENT_SECRET;
  if (directId && directSecret) file.directAccess = { clientId: directId, clientSecret: directSecret };
  const customer = flags.customer ?? env.CDS_CONFORMANCE_CUSTOMER;
  if (customer) file.customer = signIn(customer, "--customer");
  const otherCustomer = flags.otherCustomer ?? env.CDS_CONFORMANCE_OTHER_CUSTOMER;
  if (otherCustomer) file.otherCustomer = signIn(otherCustomer, "--other-customer");
  return file;
}

function signIn(value: string, flag: string): { username: string; password: string } {
  const colon = value.indexOf(":");
  if (colon < 1) throw new Error(`${flag} takes <username>:<password>`);
  return { username: value.slice(0, colon), password: value.slice(colon + 1) };
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("cds-conformance")
    .description("Check a CDS Server against the CDS-WG1-01, CDS-WG1-02 and CDS-WG3-01 conformance scenarios")
    .argument("[url]", "the Server's base URL (its metadata is at /.well-known/cds-server-metadata.json)")
    .option("--credentials <file>", "a JSON file: { clientAdmin?, app?, customer? } (see the README)")
    .option("--client-id <id>", "a cds_client_admin Client (or CDS_CONFORMANCE_CLIENT_ID)")
    .option("--client-secret <secret>", "its secret (or CDS_CONFORMANCE_CLIENT_SECRET)")
    .option("--app-client-id <id>", "an authorization-code Client (or CDS_CONFORMANCE_APP_CLIENT_ID)")
    .option("--app-client-secret <secret>", "its secret (or CDS_CONFORMANCE_APP_CLIENT_SECRET)")
    .option("--app-redirect-uri <uri>", "its registered redirect URI")
    .option("--app-scope <scope>", "the scope it requests")
    .option("--customer <username:password>", "a test customer's sign-in (or CDS_CONFORMANCE_CUSTOMER)")
    .option("--other-customer <username:password>", "a second test customer's sign-in (or CDS_CONFORMANCE_OTHER_CUSTOMER)")
    .option("--files-client-id <id>", "a Client admin of a registration the Server shared files with (secret in CDS_CONFORMANCE_FILES_CLIENT_SECRET)")
    .option("--direct-access-client-id <id>", "a Client with CDS-WG3-01 Direct Access scopes and a Grant (secret in CDS_CONFORMANCE_DIRECT_ACCESS_CLIENT_SECRET)")
    .option("--only <ids...>", "scenario ids or prefixes (wg1-01, wg1-02/registration)")
    .option("--previous-metadata-url <url>", "a metadata URL the Server moved away from (CDS-WG1-01 §5)")
    .option("--json <file>", "write the results as JSON")
    .option("--junit <file>", "write the results as JUnit XML")
    .option("--chromium <path>", "the Chromium binary for the default customer driver")
    .option("--list", "list the scenarios and exit")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(argv, { from: "user" });
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 2;
  }
  const flags = program.opts<Flags>();
  const [url] = program.args;
  if (flags.list) {
    for (const s of selectScenarios(flags.only, scenarios)) process.stdout.write(`${s.id}\t${s.spec} §${s.sections.join(", §")}\t${s.title}\n`);
    return 0;
  }
  if (!url || !URL.canParse(url)) {
    process.stderr.write("cds-conformance: give the Server's base URL, e.g. cds-conformance http://127.0.0.1:8080\n");
    return 2;
  }
  let report;
  const driver = chromiumDriver(flags.chromium ? { executablePath: flags.chromium } : {});
  try {
    const credentials = await credentialsFrom(flags);
    report = await runConformance({
      serverUrl: url,
      credentials,
      customerDriver: driver,
      ...(flags.only ? { only: flags.only } : {}),
      ...(flags.previousMetadataUrl ? { previousMetadataUrl: flags.previousMetadataUrl } : {}),
      onResult: (r) => process.stderr.write(`${resultLine(r)}\n`),
    });
  } catch (error) {
    process.stderr.write(`cds-conformance: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    await driver.close?.();
  }
  const coverage = mustCoverage(await loadMustCatalogue(), scenarios);
  process.stdout.write(`${textReport(report, coverage)}\n`);
  if (flags.json) await writeFile(flags.json, `${JSON.stringify({ ...report, mustCoverage: coverage }, null, 2)}\n`);
  if (flags.junit) await writeFile(flags.junit, junitReport(report));
  return report.ok ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
