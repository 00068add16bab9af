/**
 * A fault-injecting proxy in front of the reference server, for the mutation
 * proof: the server's issuer URL is the proxy's, so every URL the suite
 * discovers leads through it, and each fault rewrites requests or responses
 * the way a faulty Server would behave. Faults are switched at run time, so
 * one server serves every mutation.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  /** Coverage entries listed oldest first (CDS-WG1-01 §4.1). */
  | "wrong-ordering"
  /** An internal field leaks into the Server Metadata (CDS-WG1-01 §3.2). */
  | "leaked-field"
  /** PKCE `plain` accepted at PAR, its challenge checked as if it were S256 of the verifier (CDS-WG1-02 §3.2, RFC 9700 §2.1.1). */
  | "pkce-plain-accepted"
  /** The coverage `ids` filter ignored (CDS-WG1-01 §4.2). */
  | "filter-ignored"
  /** A Grant the Client closed still lets its access token read data (CDS-WG1-02 §8.2). */
  | "closed-grant-readable"
  /** The Service Contracts `service_types` filter ignored (CDS-WG3-01 §10.2.7). */
  | "wg3-01-filter-ignored"
  /** Each page of Usage Segments listed in reverse (CDS-WG3-01 §10.8.8). */
  | "usage-segments-wrong-order"
  /** Accounts whose Grant hides their details carry an `account_name` anyway (CDS-WG3-01 §7.2.1.2). */
  | "field-outside-grant"
  /** Each Usage Segment a consent's token reads carries one Value Set more, of the interval before its start (CDS-WG3-01 §7.3.6: data from before the Grant's window). */
  | "usage-value-set-outside-window";

export interface FaultProxy {
  url: string;
  fault: Fault | null;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

const sha256url = (s: string) => createHash("sha256").update(s).digest("base64url");

export async function startFaultProxy(): Promise<FaultProxy & { setUpstream(origin: string): void }> {
  let upstream = "";
  // For closed-grant-readable: the latest code-flow access token, what it read, and the tokens whose Grant was closed.
  let lastCodeToken: string | null = null;
  const reads = new Map<string, { status: number; headers: [string, string][]; body: Buffer }>();
  const closedTokens = new Set<string>();
  /** Access tokens of a customer's consent (authorization code), for faults that only a consent's reads show. */
  const consentTokens = new Set<string>();

  const proxy: FaultProxy & { setUpstream(origin: string): void } = {
    url: "",
    fault: null,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    setUpstream: (origin) => {
      upstream = origin;
    },
  };

  const server: Server = createServer(async (req, res) => {
    try {
      const fault = proxy.fault;
      const target = new URL(req.url ?? "/", upstream);
      let body = await readBody(req);
      const contentType = String(req.headers["content-type"] ?? "");
      const form = contentType.startsWith("application/x-www-form-urlencoded") ? new URLSearchParams(body.toString("utf8")) : null;

      if (fault === "filter-ignored" && target.pathname.includes("coverage")) target.searchParams.delete("ids");
      if (fault === "wg3-01-filter-ignored" && target.pathname.endsWith("/service-contracts")) target.searchParams.delete("service_types");
      if (fault === "pkce-plain-accepted" && form && target.pathname.endsWith("/par") && form.get("code_challenge_method") === "plain") {
        form.set("code_challenge", sha256url(form.get("code_challenge") ?? ""));
        form.set("code_challenge_method", "S256");
        body = Buffer.from(form.toString());
      }

      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || ["host", "content-length", "connection", "accept-encoding"].includes(name)) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      const method = req.method ?? "GET";
      const upstreamRes = await fetch(target, { method, headers, redirect: "manual", ...(method === "GET" || method === "HEAD" ? {} : { body: new Uint8Array(body) }) });
      let status = upstreamRes.status;
      let out: Buffer = Buffer.from(await upstreamRes.arrayBuffer());
      let outHeaders: [string, string][] = [];
      upstreamRes.headers.forEach((value, name) => {
        if (!["content-length", "content-encoding", "transfer-encoding", "connection", "set-cookie"].includes(name)) outHeaders.push([name, value]);
      });
      const cookies = upstreamRes.headers.getSetCookie();
      const bearer = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ""))?.[1];
      const json = () => JSON.parse(out.toString("utf8")) as Record<string, unknown>;
      const isJson = /json/.test(upstreamRes.headers.get("content-type") ?? "") && out.length > 0;

      if (fault === "wrong-ordering" && isJson && target.pathname.includes("coverage")) {
        const doc = json();
        if (Array.isArray(doc.coverage_entries)) doc.coverage_entries.reverse();
        out = Buffer.from(JSON.stringify(doc));
      }
      if (fault === "usage-segments-wrong-order" && isJson && status === 200 && target.pathname.endsWith("/usage-segments")) {
        const doc = json();
        if (Array.isArray(doc.usage_segments)) doc.usage_segments.reverse();
        out = Buffer.from(JSON.stringify(doc));
      }
      if (fault === "usage-value-set-outside-window" && form?.get("grant_type") === "authorization_code" && status === 200 && isJson) consentTokens.add(String(json().access_token));
      // Only a consent's reads: Direct Access listings (and their filter checks) stay as the server answers them.
      if (fault === "usage-value-set-outside-window" && bearer && consentTokens.has(bearer) && isJson && status === 200 && target.pathname.endsWith("/usage-segments")) {
        const doc = json();
        // The segment reaches one interval further back, as a server that lists a straddling segment whole would show it.
        for (const u of (Array.isArray(doc.usage_segments) ? doc.usage_segments : []) as Record<string, unknown>[]) {
          if (!Array.isArray(u.values) || !u.values.length || typeof u.interval !== "number") continue;
          u.segment_start = new Date(Date.parse(String(u.segment_start)) - u.interval * 1000).toISOString();
          u.values = [u.values[0], ...u.values];
        }
        out = Buffer.from(JSON.stringify(doc));
      }
      if (fault === "field-outside-grant" && isJson && status === 200 && target.pathname.endsWith("/accounts")) {
        const doc = json();
        if (Array.isArray(doc.accounts)) for (const a of doc.accounts as Record<string, unknown>[]) a.account_name ??= "Leaked Holdings LLC";
        out = Buffer.from(JSON.stringify(doc));
      }
      if (fault === "leaked-field" && isJson && target.pathname === "/.well-known/cds-server-metadata.json" && status === 200) {
        out = Buffer.from(JSON.stringify({ ...json(), internal_database_host: "10.0.0.5" }));
        outHeaders = outHeaders.filter(([n]) => n !== "etag");
      }
      if (fault === "closed-grant-readable") {
        if (form?.get("grant_type") === "authorization_code" && status === 200 && isJson) lastCodeToken = String(json().access_token);
        if (method === "PATCH" && target.pathname.includes("grants") && status === 200 && /"closed"/.test(body.toString("utf8")) && lastCodeToken) closedTokens.add(lastCodeToken);
        if (method === "GET" && bearer) {
          const key = `${bearer} ${target}`;
          if (status === 200) reads.set(key, { status, headers: outHeaders, body: out });
          else if ((status === 401 || status === 403) && closedTokens.has(bearer) && reads.has(key)) {
            const cached = reads.get(key)!;
            ({ status, headers: outHeaders, body: out } = cached);
          }
        }
      }

      for (const [n, v] of outHeaders) res.setHeader(n, v);
      if (cookies.length) res.setHeader("set-cookie", cookies);
      res.setHeader("content-length", out.length);
      res.writeHead(status);
      res.end(out);
    } catch (error) {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`fault proxy: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
