/**
 * The `cds` command line, in-process, against the reference server (discovery,
 * registration, tokens, listings, authorization code) and against the §13
 * examples fake (usage export, which the reference server does not serve yet).
 */
import { readFile, stat } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { modifiableClientFields } from "@cds-toolkit/server";
import { CdsApi, ClientCredentialsTokens, discover, oauthContext } from "../src/index.ts";
import { Browser } from "../../server/test/helpers/browser.ts";
import { approve, sandboxDetails } from "../../server/test/helpers/authorization-code.ts";
import { cli, startCli, tempConfig } from "./helpers/cli.ts";
import { DEMO_SECRET, useReferenceServer } from "./helpers/reference-server.ts";
import { useFakeServer } from "./helpers/fake-server.ts";
import { exampleResponse } from "./helpers/spec-examples.ts";
import { freePort } from "./helpers/ports.ts";

describe("cds against the reference server", () => {
  const ref = useReferenceServer();
  let config: string;
  const env = () => ({ CDS_CONFIG: config });

  it("discover: remembers the Server and prints what it offers", async () => {
    config = await tempConfig();
    const result = await cli(["discover", ref.url], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`issuer:          ${ref.url}`);
    expect(result.stdout).toMatch(/scopes: .*cds_client_admin/);
    const json = await cli(["--json", "discover"], env());
    expect(JSON.parse(json.stdout).authorization_server.issuer).toBe(ref.url);
  });

  it("register: stores the credentials in a 0600 file and prints no secret", async () => {
    const result = await cli(["register", "--scope", "cds_client_admin cds_grant_admin_1", "--name", "CLI test app", "--contact", "dev@cli.example"], env());
    expect(result.code, result.stderr).toBe(0);
    const stored = JSON.parse(await readFile(config, "utf8"));
    const server = stored.servers[`${ref.url}/.well-known/cds-server-metadata.json`];
    const admin = server.clients[server.admin];
    expect(admin.client_secret).toEqual(expect.any(String));
    expect(result.stdout + result.stderr).not.toContain(admin.client_secret);
    expect((await stat(config)).mode & 0o777).toBe(0o600);
    expect((await stat(config.replace(/\/config\.json$/, ""))).mode & 0o777).toBe(0o700);
  });

  it("token and list: the admin APIs, with typed filters; secrets and tokens never shown", async () => {
    const token = await cli(["--json", "token"], env());
    expect(token.code, token.stderr).toBe(0);
    expect(JSON.parse(token.stdout)).toMatchObject({ scope: "cds_client_admin", active: true });
    const clients = await cli(["--json", "list", "clients"], env());
    expect(clients.code, clients.stderr).toBe(0);
    const lines = clients.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((c) => c.scope).sort()).toEqual(["cds_client_admin", "cds_grant_admin_1"]);
    const stored = JSON.parse(await readFile(config, "utf8"));
    const tokens = Object.values(stored.servers[`${ref.url}/.well-known/cds-server-metadata.json`].tokens) as Array<{ access_token: string }>;
    for (const t of tokens) expect(token.stdout + clients.stdout + clients.stderr).not.toContain(t.access_token);

    const one = await cli(["--json", "list", "clients", "--filter", `client_ids=${lines[1].client_id}`], env());
    expect(one.stdout.trim().split("\n")).toHaveLength(1);
    const get = await cli(["get", "clients", lines[0].client_id], env());
    expect(JSON.parse(get.stdout).client_id).toBe(lines[0].client_id);
    const grants = await cli(["grants", "--filter", "statuses=active", "--filter", "statuses=pending"], env());
    expect(grants.code, grants.stderr).toBe(0);
    expect(grants.stderr).toContain("0 grants");
  });

  it("bad input: exit 2, naming the option and the rule", async () => {
    const filter = await cli(["list", "clients", "--filter", "colour=blue"], env());
    expect(filter.code).toBe(2);
    expect(filter.stderr).toContain("--filter colour: not a parameter of listClients; it takes client_ids");
    const resource = await cli(["list", "widgets"], env());
    expect(resource.code).toBe(2);
    expect(resource.stderr).toMatch(/<resource>: must be one of clients, /);
    const unknownOption = await cli(["list", "clients", "--colour"], env());
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--colour'");
    const time = await cli(["usage", "export", "--meter", "m1", "--from", "yesterday", "--to", "2024-01-01"], env());
    expect(time.code).toBe(2);
    expect(time.stderr).toContain('--from: must be an RFC 3339 date');
  });

  it("failures map to exit codes: discovery 3, OAuth 4", async () => {
    const closed = await freePort();
    const unreachable = await cli(["discover", `http://127.0.0.1:${closed}`], { CDS_CONFIG: await tempConfig() });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr.startsWith(`error: http://127.0.0.1:${closed}/.well-known/cds-server-metadata.json: unreachable (`)).toBe(true);
    const other = await tempConfig();
    await cli(["discover", ref.url], { CDS_CONFIG: other });
    await cli(["use-client", "--client-id", "demo-client", "--admin"], { CDS_CONFIG: other, CDS_CLIENT_SECRET: "a-wrong-secret-0000000000" });
    const refused = await cli(["token"], { CDS_CONFIG: other });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain("invalid_client");
    expect(refused.stderr).not.toContain("a-wrong-secret");
  });

  it("authorize: listens on loopback, prints the URL, completes the exchange when the browser returns", async () => {
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    // Point the demo app at this port (redirect_uris is not a reviewed field), with the demo registration's admin client.
    const discovery = await discover(ref.url);
    const admin = new CdsApi(discovery, { tokens: new ClientCredentialsTokens(oauthContext(discovery), { clientId: "demo-client", clientSecret: DEMO_SECRET, scope: "cds_client_admin" }) });
    const app = (await admin.clients.get("demo-app")) as Record<string, unknown>;
    const body = Object.fromEntries(modifiableClientFields.filter((f) => f in app).map((f) => [f, app[f]]));
    // cds_default_redirect_uri must stay one of redirect_uris (RFC 9700 §4.1 checks on PUT), so it moves too.
    await admin.clients.modify("demo-app", { ...body, redirect_uris: [redirectUri], cds_default_redirect_uri: redirectUri } as never);

    await cli(["use-client", "--client-id", "demo-app", "--app", "--redirect-uri", redirectUri], { ...env(), CDS_CLIENT_SECRET: DEMO_SECRET });
    let resolveUrl: (url: string) => void;
    const authorizationUrl = new Promise<string>((resolve) => (resolveUrl = resolve));
    const running = startCli(
      ["authorize", "--scope", "cds_usage_1", "--details", JSON.stringify(sandboxDetails), "--timeout", "30"],
      env(),
      (text) => {
        const line = text.split("\n").find((l) => l.startsWith("http"));
        if (line) resolveUrl(line);
      },
    );
    const url = await authorizationUrl;
    expect(new URL(url).searchParams.get("request_uri")).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const browser = new Browser(ref.url);
    const login = await (await browser.follow(url)).response.text();
    const consent = await (await browser.follow(await browser.submit(login, "/login", { username: "alex.demo", password: "sandbox-alex-2024" }))).response.text();
    const location = (await approve(browser, consent)).href;
    const back = await fetch(location); // the browser following the redirect to the CLI's listener
    expect(back.status).toBe(200);
    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Authorized: cds_usage_1, expires .*refreshable/);
    const stored = JSON.parse(await readFile(config, "utf8"));
    const tokens = stored.servers[`${ref.url}/.well-known/cds-server-metadata.json`].tokens["authorization_code demo-app"];
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(result.stdout + result.stderr).not.toContain(tokens.access_token);
    expect(result.stdout + result.stderr).not.toContain(tokens.refresh_token);
  });
});

describe("cds usage export against the §13.3.5 example (a local fake)", () => {
  const fake = useFakeServer((app, url) => {
    app.get("/.well-known/cds-server-metadata.json", async () => ({
      cds_metadata_version: "v1",
      cds_metadata_url: `${url()}/.well-known/cds-server-metadata.json`,
      created: "2022-01-01T00:00:00Z",
      updated: "2022-01-01T00:00:00Z",
      name: "Example utility",
      description: "The §13 examples",
      website: url(),
      documentation: url(),
      support: url(),
      capabilities: ["oauth"],
      oauth_metadata: `${url()}/.well-known/oauth-authorization-server`,
    }));
    app.get("/.well-known/oauth-authorization-server", async () => {
      const metadata = await exampleResponse("wg3-01/13.1.1-1", url());
      const fields = metadata.cds_registration_fields as Record<string, Record<string, unknown>>;
      for (const f of Object.values(fields)) if (typeof f.field_name === "string" && !f.field_name.startsWith("cds_")) f.field_name = `cds_${f.field_name}`;
      return { ...metadata, cds_timezone: "UTC", cds_usagesegments_additional_value_types: {} };
    });
    app.get("/cds-customerdata-api/v1/usage-segments", async (request) => {
      const listing = await exampleResponse("wg3-01/13.3.5-1", url());
      const q = request.query as Record<string, string>;
      if (q.meter_numbers !== "a14a3184131a4653" || !q.after || !q.before) return { usage_segments: [], next: null, previous: null };
      return { ...listing, usage_segments: (listing.usage_segments as object[]).map((s) => ({ ...s, related_billsections: [] })) };
    });
  });

  it("writes one CSV row per interval inside --from/--to, to a 0600 file", async () => {
    const config = await tempConfig();
    const metadataUrl = `${fake.url}/.well-known/cds-server-metadata.json`;
    // A session as `cds authorize` leaves it (the fake takes any bearer token).
    const { mkdir, writeFile } = await import("node:fs/promises");
    await mkdir(config.replace(/\/config\.json$/, ""), { recursive: true });
    await writeFile(config, JSON.stringify({ current: metadataUrl, servers: { [metadataUrl]: { clients: { app: { client_id: "app", client_secret: "s" } }, app: "app", tokens: { "authorization_code app": { access_token: "t", token_type: "bearer", expires_at: 4_000_000_000 } } } } }), { mode: 0o600 });
    const output = config.replace(/config\.json$/, "usage.csv");
    const result = await cli(["usage", "export", "--meter", "a14a3184131a4653", "--from", "2021-12-01T00:00:00Z", "--to", "2021-12-01T00:30:00Z", "--output", output], { CDS_CONFIG: config });
    expect(result.code, result.stderr).toBe(0);
    const csv = (await readFile(output, "utf8")).trimEnd().split("\r\n");
    expect(csv).toEqual([
      "interval_start,interval_end,cds_usagesegment_id,electric_intervals_01 (electric_usage kWh net),electric_intervals_01 quality",
      "2021-12-01T00:00:00Z,2021-12-01T00:15:00Z,a8c63c4c80709810,10,raw",
      "2021-12-01T00:15:00Z,2021-12-01T00:30:00Z,a8c63c4c80709810,9.4,raw",
    ]);
    expect(result.stderr).toContain("2 intervals from 1 pages");
    // Standard error is not a terminal here: no progress bar, only the summary line.
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^2 intervals from 1 pages written to /)]);
    expect((await stat(output)).mode & 0o777).toBe(0o600);

    // --interval keeps one interval length and says what it left out and what no segment covered.
    const hourly = await cli(["usage", "export", "--meter", "a14a3184131a4653", "--interval", "3600", "--from", "2021-12-01T00:00:00Z", "--to", "2021-12-01T02:00:00Z"], { CDS_CONFIG: config });
    expect(hourly.code, hourly.stderr).toBe(0);
    expect(hourly.stdout).toBe("");
    const listed = ((await exampleResponse("wg3-01/13.3.5-1", fake.url)).usage_segments as unknown[]).length;
    expect(hourly.stderr).toContain(`0 intervals from 1 pages (${listed} segments of other interval lengths left out; 2 intervals with no segment at all)`);
    const quarter = await cli(["usage", "export", "--meter", "a14a3184131a4653", "--interval", "900", "--from", "2021-12-01T00:00:00Z", "--to", "2021-12-01T00:30:00Z"], { CDS_CONFIG: config });
    expect(quarter.stdout.trimEnd().split("\r\n")).toHaveLength(3);
    expect(quarter.stderr).toMatch(/^2 intervals from 1 pages\n$/);
    const bad = await cli(["usage", "export", "--meter", "m", "--interval", "15m", "--from", "2021-12-01", "--to", "2021-12-02"], { CDS_CONFIG: config });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--interval: must be a whole number of seconds");
  });

  it("--help on every command and --version, each exiting 0", async () => {
    const commands = [[], ["discover"], ["register"], ["use-client"], ["token"], ["authorize"], ["list"], ["get"], ["grants"], ["usage"], ["usage", "export"]];
    for (const command of commands) {
      const help = await cli([...command, "--help"]);
      expect(help.code, command.join(" ")).toBe(0);
      expect(help.stdout).toContain(`Usage: cds${command.length ? ` ${command.join(" ")}` : ""} `);
      expect(help.stdout).toContain("--help");
    }
    const { version } = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    const shown = await cli(["--version"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout.trim()).toBe(version);
  });
});
