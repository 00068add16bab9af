/**
 * The root README's "Reading Customer Data" walkthrough, run as written:
 * its shell blocks go to bash (curl, jq, openssl, GNU date) against a
 * started server seeded as `pnpm start` seeds it, with only the lines that
 * say `...` (the secrets and the code) supplied; the customer's browser step
 * is driven over HTTP in between. Every line the commands print must agree
 * with the output the README shows: exactly, except the counts the README
 * says follow the calendar (statements, days, intervals), which are checked
 * against that rule.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { beforeAll, expect, it } from "vitest";
import { currentDemoSize } from "../../src/demo/customer-data/seed.ts";
import { seedDemoData } from "../../src/demo/seed.ts";
import type { CdsServer } from "../../src/server.ts";
import { openLogin, signIn } from "../helpers/authorization-code.ts";
import { Browser } from "../helpers/browser.ts";
import { describeEachDatabase } from "../helpers/databases.ts";
import { useListeningServer } from "../helpers/servers.ts";

const run = promisify(execFile);
const readme = await readFile(new URL("../../../../README.md", import.meta.url), "utf8");
const section = readme.slice(readme.indexOf("### Reading Customer Data"), readme.indexOf("\n### ", readme.indexOf("### Reading Customer Data") + 5));
const blocks = (lang: string) => [...section.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
const [directBlock, consentBlock, readsBlock] = blocks("sh") as [string, string, string];
const [directShown, consentShown] = blocks("json").map((b) => b.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>)) as [Record<string, unknown>[], Record<string, unknown>[]];
const secret = "readme-walkthrough-secret-0123456789";

/** The block without the lines the reader fills in (`NAME=...`); the test supplies those through the environment. */
const runnable = (block: string, supplied: readonly string[]) =>
  block
    .split("\n")
    .filter((line) => !supplied.some((name) => line.startsWith(`${name}=`)))
    .join("\n");

async function bash(script: string, env: Record<string, string>): Promise<string[]> {
  const { stdout } = await run("bash", ["-eo", "pipefail", "-c", script], { env: { ...process.env, ...env }, timeout: 60_000 });
  return stdout.trim().split("\n");
}

/** An output line agrees with the shown one: equal, but for the calendar-bound counts. */
function agrees(actual: Record<string, unknown>, shown: Record<string, unknown>): void {
  const rest = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => !["statements", "days", "intervals"].includes(k)));
  expect(rest(actual)).toEqual(rest(shown));
  if ("statements" in shown) expect([12, 13]).toContain(actual.statements);
  if ("days" in shown) {
    expect([30, 31]).toContain(actual.days);
    expect(actual.intervals).toBe((actual.days as number) * 96);
  }
}

const available = await run("bash", ["-c", "command -v curl && command -v jq && command -v openssl && date -u -d '1 day ago' +%F"]).then(
  () => true,
  () => false,
);

describeEachDatabase(
  "README: reading Customer Data with curl",
  (under) => {
    let server: CdsServer;
    useListeningServer(under, (s) => (server = s));
    let from = "";

    beforeAll(async () => {
      await seedDemoData(under.database.db, secret, currentDemoSize());
    });

    it.skipIf(!available)("has the three command blocks and the two outputs", () => {
      expect([directBlock, consentBlock, readsBlock].every((b) => b.includes("curl"))).toBe(true);
      expect(directShown).toHaveLength(3);
      expect(consentShown).toHaveLength(3);
    });

    it.skipIf(!available)("Direct Access: accounts, 13 bills and a month of 15-minute usage, as shown", async () => {
      const lines = await bash(`${runnable(directBlock, ["BASE", "DA_SECRET"])}\necho "$FROM"`, { BASE: server.url, DA_SECRET: secret });
      from = lines.pop()!;
      expect(lines).toHaveLength(directShown.length);
      lines.forEach((line, i) => agrees(JSON.parse(line) as Record<string, unknown>, directShown[i]!));
      expect(JSON.parse(lines[1]!).statements).toBe(13);
    });

    it.skipIf(!available)("customer authorization: Alex approves; the code's token reads the same, within the consent", async () => {
      const started = await bash(`${runnable(consentBlock, ["APP_SECRET"])}\necho "$VERIFIER"`, { BASE: server.url, APP_SECRET: secret });
      const [url, verifier] = started as [string, string];
      const browser = new Browser(server.url);
      const consent = await signIn(browser, await openLogin(browser, url));
      const { location } = await browser.follow(await browser.submitEveryTicked(consent, "/confirm"));
      const callback = new URL(location!);
      expect(callback.searchParams.get("state")).toBe("reads");
      const lines = await bash(runnable(readsBlock, ["CODE"]), { BASE: server.url, APP_SECRET: secret, CODE: callback.searchParams.get("code")!, VERIFIER: verifier, FROM: from });
      expect(lines).toHaveLength(consentShown.length);
      lines.forEach((line, i) => agrees(JSON.parse(line) as Record<string, unknown>, consentShown[i]!));
    });
  },
  { scenario: true },
);
