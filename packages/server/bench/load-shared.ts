/**
 * What the load benchmark (load.ts), its target processes (load-target.ts)
 * and its scenario modules (load-scenarios/*.ts) share.
 */

/** A recorded answer of the reference server, replayed byte for byte by the bare Fastify. */
export interface Fixture {
  method: string;
  /** The bare server's own path for it (one per operation, so two answers of one URL do not collide). */
  path: string;
  status: number;
  headers: Record<string, string>;
  /** Base64 of the body bytes. */
  body: string;
}

export type TargetMessage = { ready: string } | { error: string } | { profiled: string } | { cpu: NodeJS.CpuUsage };

/** Parent → target: answer `{ cpu: process.cpuUsage() }` (the target's CPU time so far, for CPU per request). */
export const CPU_COMMAND = "cpu";

/** Parent → target: start or stop a CPU profile of exactly the measured run (written to `file`). */
export type ProfileCommand = { profile: "start" } | { profile: "stop"; file: string };

/** The demo clients' secret in every bench server (`demoClientSecret`): demo-client and demo-direct-access. */
export const BENCH_CLIENT_SECRET = "bench-load-secret-0123456789abcdefghijklmnopqrstuvwxyz";

export interface LoadRequest {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What a scenario may use to build its request, once per database, against the running serving server. */
export interface ScenarioContext {
  /** The reference server's base URL (the "serving" one: rate limit raised). */
  url: string;
  /** A client_credentials access token of a demo client (secret BENCH_CLIENT_SECRET). */
  token(clientId: string, scope: string): Promise<string>;
}

/**
 * What a reference server must hold, for scenarios that need more than the
 * demo data. One server serves every scenario of a run: the needs of all of
 * them are merged (a later scenario's value wins where two name the same).
 */
export interface ServerNeeds {
  /** Days of 15-minute usage per Meter Device (`"all"`: the demo's 13 months), beyond the demo's (DemoUtilitySize `meterIntervalDays`). */
  meterIntervalDays?: Record<string, number | "all">;
  /** The Value Types (§7.2.8.1) the first demo customer's Direct Access Grant of `cds_query_usage_1` shares. */
  usageValueTypes?: string[];
}

/**
 * One measured operation. A scenario module (load-scenarios/<topic>.ts)
 * exports `scenarios: LoadScenario[]`; load.ts runs every module's, in file
 * name order, so a new scenario is a new file.
 */
export interface LoadScenario {
  /** Short name, for CDS_BENCH_ONLY and profile file names. */
  key: string;
  label: string;
  /** "serving": the rate limit raised so nothing is refused; "limited": the default limit (300/min), for 429s. */
  server: "serving" | "limited";
  /** The status every answer should carry (the share that did is printed). */
  expect: number;
  needs?: ServerNeeds;
  /** Also measure Prism mocking the CDS-WG3-01 OpenAPI document on the same request (first database only): issue 12's baseline. */
  prism?: boolean;
  /** An earlier measurement to set beside this one: its ratio to bare Fastify on the machine of the time. */
  before?: { ratio: number; source: string };
  request(context: ScenarioContext): LoadRequest | Promise<LoadRequest>;
}

export const basicAuthorization = (clientId: string, secret = BENCH_CLIENT_SECRET) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;

/** RFC 6749 §4.4 client_credentials request of a demo client. */
export function clientCredentialsRequest(clientId: string, scope: string): LoadRequest {
  return {
    method: "POST",
    path: "/oauth/token",
    headers: { authorization: basicAuthorization(clientId), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }).toString(),
  };
}
