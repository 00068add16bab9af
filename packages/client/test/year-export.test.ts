/**
 * Issue 13's "done when": the README's `cds` sequence (one file,
 * packages/docs/pages/guides/cds-year-export.sh, that the README repeats
 * verbatim and the docs' Client quickstart includes) run by bash against the
 * reference server with `pnpm start`'s demo settings, the customer signing in
 * and approving in headless Chromium, ends in a CSV with one row per
 * 15-minute interval of the demo year.
 *
 * Only two things differ from the README: the Server's URL (the server here
 * listens on a free port, not 8080) and the loopback redirect port (a free
 * one, not 8400). The script runs in a scratch directory that links the
 * repository's `node_modules` and `packages`, so its relative paths resolve
 * as they do in a clone and `usage.csv` lands in the scratch directory.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, stat, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { launchChromium } from "../../server/test/helpers/chromium.ts";
import { freePort } from "./helpers/ports.ts";
import { useReferenceServer } from "./helpers/reference-server.ts";

const root = path.resolve(import.meta.dirname, "../../..");
const scriptFile = path.join(root, "packages/docs/pages/guides/cds-year-export.sh");

/** The text of every ```sh block of `markdown`. */
const fencedBlocks = (markdown: string) => [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);

describe("the README's cds sequence: register, authorize, a year of 15-minute usage to CSV", () => {
  // As the root `pnpm start` runs the server: demo data with the walkthrough meter's year.
  const ref = useReferenceServer({ demoYear: "true" });

  it("is one sequence: the README block and the docs guide use the same file", async () => {
    const script = await readFile(scriptFile, "utf8");
    expect(fencedBlocks(await readFile(path.join(root, "README.md"), "utf8"))).toContain(script);
    const guide = await readFile(path.join(root, "packages/docs/pages/guides/client-quickstart.md"), "utf8");
    expect(guide).toContain("<<< ./cds-year-export.sh");
  });

  it("runs end to end and writes one row per interval of the year, gaps as empty cells", { timeout: 300_000 }, async () => {
    const port = await freePort();
    const script = (await readFile(scriptFile, "utf8")).replaceAll("http://127.0.0.1:8080", ref.url).replaceAll("http://127.0.0.1:8400/", `http://127.0.0.1:${port}/`);
    const work = await mkdtemp(path.join(tmpdir(), "cds-year-"));
    await symlink(path.join(root, "node_modules"), path.join(work, "node_modules"));
    await symlink(path.join(root, "packages"), path.join(work, "packages"));
    const config = path.join(work, "home", "cds", "config.json");

    const child = spawn("bash", ["-e", "-c", script], { cwd: work, env: { ...process.env, CDS_CONFIG: config }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const authorizationUrl = new Promise<string>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split("\n").find((l) => l.startsWith(`${ref.url}/oauth/authorize?`));
        if (line) resolve(line);
      });
    });
    const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));

    const url = await Promise.race([authorizationUrl, exited.then((code) => Promise.reject(new Error(`the script ended (${code}) before printing the authorization URL:\n${stdout}\n${stderr}`)))]);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.fill("#username", "alex.demo");
      await page.fill("#password", "sandbox-alex-2024");
      await page.click("button.approve");
      // The consent page: Alex's account is preselected; Approve, and the browser is sent to cds's listener.
      await Promise.all([page.waitForURL(`http://127.0.0.1:${port}/callback?**`), page.click('button[name="decision"][value="approve"]')]);
      expect(await page.textContent("body")).toContain("return to the terminal");
    } finally {
      await browser.close();
    }
    const code = await exited;
    expect(code, `${stdout}\n${stderr}`).toBe(0);

    // Nothing secret on the terminal.
    const stored = JSON.parse(await readFile(config, "utf8")) as { servers: Record<string, { clients: Record<string, { client_secret: string }>; tokens: Record<string, { access_token: string; refresh_token?: string }> }> };
    const server = Object.values(stored.servers)[0]!;
    const secrets = [...Object.values(server.clients).map((c) => c.client_secret), ...Object.values(server.tokens).flatMap((t) => [t.access_token, t.refresh_token ?? ""])].filter(Boolean);
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const secret of secrets) expect(stdout + stderr).not.toContain(secret);
    expect((await stat(config)).mode & 0o777).toBe(0o600);

    const csv = (await readFile(path.join(work, "usage.csv"), "utf8")).trimEnd().split("\r\n");
    const [header, ...rows] = csv;
    const columns = header!.split(",");
    expect(columns.slice(0, 3)).toEqual(["interval_start", "interval_end", "cds_usagesegment_id"]);
    // One row per 15-minute interval of the year before 06:00 UTC today (where the demo's
    // readings end, currentDemoSize), in order, none missing or repeated.
    const toDay = new Date(Date.now() - 6 * 3_600_000);
    const to = Date.UTC(toDay.getUTCFullYear(), toDay.getUTCMonth(), toDay.getUTCDate(), 6);
    const from = Date.UTC(toDay.getUTCFullYear() - 1, toDay.getUTCMonth(), toDay.getUTCDate(), 6);
    expect(rows).toHaveLength((to - from) / 900_000);
    expect([35_040, 35_136]).toContain(rows.length); // 365 or 366 days of 96 intervals
    rows.forEach((row, i) => {
      const [start, end] = row.split(",");
      if (Date.parse(start!) !== from + i * 900_000 || Date.parse(end!) !== from + (i + 1) * 900_000) throw new Error(`row ${i + 1} is ${row}`);
    });
    // Every row has a cell per column; readings are numbers, or empty where the Server sent null (a disclosed gap).
    const usage = columns.findIndex((c) => /\(electric_usage kWh (forward|net)\)$/.test(c));
    expect(usage, csv.slice(0, 3).join("\n")).toBeGreaterThan(2);
    expect(columns[usage + 1]).toMatch(/ quality$/);
    const cells = rows.map((r) => r.split(","));
    expect(cells.every((c) => c.length === columns.length)).toBe(true);
    const empty = cells.filter((c) => c[usage] === "");
    expect(empty.length).toBeGreaterThan(0);
    expect(empty.every((c) => c.slice(3).every((v, j) => v === "" || columns[3 + j]!.endsWith(" quality")))).toBe(true);
    expect(cells.filter((c) => c[usage] !== "").every((c) => Number.isFinite(Number(c[usage])))).toBe(true);
    // Quality per row: validated days, then the estimated and raw last days.
    const qualities = new Set(cells.map((c) => c[usage + 1]));
    expect(qualities).toEqual(new Set(["revenue", "estimated", "raw"]));
    expect(stderr).toContain(`${rows.length} intervals from `);
    expect(stderr).not.toContain("with no segment at all");
  });
});
