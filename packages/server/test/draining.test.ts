/**
 * Issue 16: a request that reaches the server while it drains (after
 * `close()` began, on a connection that was busy then) is refused 503 on the
 * contract — problem details on REST paths, the RFC 6749 body on OAuth
 * endpoints — with Retry-After and Connection: close, while the request in
 * flight still completes (http/draining.ts).
 */
import { connect } from "node:net";
import { expect, it } from "vitest";
import { describeEachDatabase } from "./helpers/databases.ts";
import { testServer } from "./helpers/servers.ts";

interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Splits what one socket received into its HTTP/1.1 responses (bodies sized by Content-Length). */
function parseResponses(raw: string): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = raw;
  while (rest.length) {
    const end = rest.indexOf("\r\n\r\n");
    if (end < 0) break;
    const [statusLine, ...lines] = rest.slice(0, end).split("\r\n");
    const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
    const length = Number(headers.get("content-length") ?? 0);
    out.push({ status: Number(statusLine!.split(" ")[1]), headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}

describeEachDatabase("requests arriving while the server drains", (under) => {
  for (const [late, kind] of [
    ["GET /.well-known/cds-server-metadata.json HTTP/1.1", "problem"],
    ["POST /oauth/token HTTP/1.1", "oauth"],
  ] as const) {
    it(`the request in flight completes; a pipelined \`${late.split(" ").slice(0, 2).join(" ")}\` gets 503 ${kind === "problem" ? "problem details" : "the OAuth error body"} with Retry-After`, async () => {
      const server = await testServer({ database: under.database });
      await server.listen();
      const url = new URL(server.url);
      const socket = connect(Number(url.port), url.hostname);
      let received = "";
      socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
      const ended = new Promise<void>((resolve) => socket.on("close", () => resolve()));
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));

      // A token request whose body is still arriving when closing begins: routed, in flight (and, with an unknown client, answered 401).
      const body = "grant_type=client_credentials&client_id=nobody&client_secret=wrong";
      socket.write(`POST /oauth/token HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
      await new Promise((r) => setTimeout(r, 200));
      const closed = server.close();
      await new Promise((r) => setTimeout(r, 100));
      const lateBody = kind === "oauth" ? "grant_type=client_credentials" : "";
      const lateHeaders = kind === "oauth" ? `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${lateBody.length}\r\n` : "";
      socket.write(`${body.slice(5)}${late}\r\nHost: ${url.host}\r\n${lateHeaders}\r\n${lateBody}`);
      await Promise.race([ended, new Promise((r) => setTimeout(r, 10_000))]);
      socket.destroy();
      await closed;

      const [first, second] = parseResponses(received);
      // Answered on its merits, not refused: closing began after it arrived.
      expect(first?.status, received).toBe(401);
      expect(JSON.parse(first!.body)).toMatchObject({ error: "invalid_client" });
      expect(second?.status, received).toBe(503);
      expect(second!.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
      expect(second!.headers.get("connection")).toBe("close");
      expect(second!.headers.get("x-content-type-options")).toBe("nosniff");
      const json = JSON.parse(second!.body) as Record<string, unknown>;
      if (kind === "problem") {
        expect(second!.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(json).toMatchObject({ status: 503, title: "Service Unavailable" });
        expect(json.detail).toMatch(/shutting down/);
      } else {
        expect(second!.headers.get("content-type")).toMatch(/^application\/json/);
        expect(json.error).toBe("temporarily_unavailable");
      }
    }, 30_000);
  }
});
