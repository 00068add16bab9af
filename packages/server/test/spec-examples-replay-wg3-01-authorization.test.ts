/**
 * CDS-WG3-01 §13, client management and customer authorization, replayed:
 * a Client registers (§13.1.2), reads its Client Objects, their metadata and
 * Credentials (§13.1.3–§13.1.6), gets a Direct Access token (§13.2.1), adds
 * its own redirect URI (§13.3.1), sends a customer through the authorization
 * request of §13.3.2 (a real sign-in and approval on the Authorization Form),
 * exchanges the code (§13.3.3), reads and administers the Grant (§13.3.6,
 * §13.3.7), and asks for a Grant by Message (§13.4.1–§13.4.4). Each answer
 * must have the example's status (or the one spec/ERRATA.md decides) and a
 * body the strict validator of that operation accepts. The Customer Data
 * reads of §13.2.2, §13.2.3, §13.3.4, §13.3.5 and §13.4.4's second block are
 * replayed by their own file.
 *
 * The example Server is not this one, so its names become ours as the story
 * makes them: Client Objects are matched by their scopes, Credentials, tokens,
 * codes, Grants and Messages by the answer that made them, the example's
 * endpoint URLs by the Client-specific metadata that names them (spec/ERRATA.md
 * E-WG3-01-9), and its account number by a demo customer's. Every other change
 * to an example request is listed in `adjustments` with its reason.
 */
import { openapiDocuments } from "@cds-toolkit/schemas";
import { validate, validateCredential } from "@cds-toolkit/validators";
import * as oauth from "openid-client";
import { beforeAll, expect, it } from "vitest";
import { contentType, loadExamples, loadOperationHints, parseBody, readDocument } from "../../../tools/checks/examples.ts";
import { findOperation, findOperationById, responseModel } from "../../../tools/checks/operations.ts";
import type { DocumentMessage, RequestMessage, ResponseMessage, SpecExample } from "../../../tools/examples/model.ts";
import { grants } from "../src/db/schema.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import type { CdsServer } from "../src/server.ts";
import { approve, customer, signIn } from "./helpers/authorization-code.ts";
import { Browser } from "./helpers/browser.ts";
import { call, strictly } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useListeningServer } from "./helpers/servers.ts";

/** The examples of this file: everything of §13 but the Customer Data reads. */
const reads = new Set(["wg3-01/13.2.2-1", "wg3-01/13.2.3-1", "wg3-01/13.3.4-1", "wg3-01/13.3.5-1", "wg3-01/13.4.4-2"]);
const examples = (await loadExamples()).filter((e) => e.spec === "CDS-WG3-01" && !reads.has(e.id));
const hints = await loadOperationHints();
const documents = { "customer-data": openapiDocuments["customer-data"] as never };

/** Statuses that differ from the example's, by decision. */
const expectedStatus: Record<string, { status: number; why: string }> = {
  "wg3-01/13.1.2-1": { status: 201, why: "registration answers 201 Created (spec/ERRATA.md E-WG1-02-1, E-WG3-01-22)" },
};

/** The demo account the example's `1234567` stands for (Alex's first account). */
const demoAccountNumber = "001001-001";

interface Adjustment {
  why: string;
  /** Changes a JSON or form body, after names are translated. */
  body?: (value: Record<string, unknown>) => Record<string, unknown>;
}

describeEachDatabase(
  "CDS-WG3-01 §13 client management and authorization examples, replayed",
  (under) => {
    let server: CdsServer;
    useListeningServer(under, (started) => (server = started));

    /** The example Server's names → this server's; grows as the story makes objects. */
    const names = new Map<string, string>();
    /** `client_id` → a secret of ours for it (Basic credentials). */
    const secrets = new Map<string, string>();
    /** The browser of the customer who approves §13.3.2's request, and the request's PKCE verifier. */
    const pkce = { verifier: oauth.randomPKCECodeVerifier() };
    let callback: URL | null = null;
    let sentAuthorizationDetails: unknown = null;

    beforeAll(async () => {
      await seedDemoData(under.database.db, null);
      names.set("1234567", demoAccountNumber);
    });

    /** The example Server's names, origins and endpoint URLs → ours. */
    const translate = (text: string): string => {
      let out = text;
      // Longest first: full URLs (learned from metadata) before origins before bare ids.
      for (const [theirs, ours] of [...names].sort((a, b) => b[0].length - a[0].length)) out = out.replaceAll(theirs, ours);
      out = out.replaceAll("https://sandbox.example.com", server.url).replaceAll("https://example.com", server.url);
      // E-WG3-01-3: an authorization details `type` is the scope id; the examples write `<scope id>ad`.
      return out.replace(/(cds_[a-z_]+_\d+)ad(?![a-z0-9_])/g, "$1");
    };

    const adjustments: Record<string, Adjustment> = {
      "wg3-01/13.1.2-1": {
        why: "`invite_code` is not a Registration Field this server describes, and no `cds_` one (E-WG3-01-21); registration for the Direct Access scopes needs none here",
        body: ({ invite_code: _dropped, ...rest }) => rest,
      },
      "wg3-01/13.3.1-1": {
        why: "the example's default redirect URI is its Server's; ours is the Client Object's own `cds_default_redirect_uri`. Its `sandbox` status is not among this registration's options, so the Client keeps the status it has",
        body: (v) => {
          const defaultRedirect = names.get("default-redirect")!;
          return {
            ...v,
            redirect_uris: (v.redirect_uris as string[]).map((u) => (u.startsWith(server.url) ? defaultRedirect : u)),
            cds_default_redirect_uri: defaultRedirect,
            cds_status: names.get("consent-client-status")!,
          };
        },
      },
      "wg3-01/13.3.3-2": {
        why: "its `code_verifier` has 16 characters, against RFC 7636's 43 (E-WG3-01-31); the verifier of the challenge this replay sent is used",
        body: (v) => ({ ...v, code_verifier: pkce.verifier }),
      },
    };

    /** The example Server's Basic credentials → ours, by the Client Object they name. */
    function authorization(request: RequestMessage): Record<string, string> {
      // §13.1.4 onwards spell the header `Authorizatin` (spec/ERRATA.md E-WG1-02-19).
      const header = request.headers.find(([name]) => /^authori[sz]/i.test(name))?.[1];
      if (!header) return {};
      if (header.startsWith("Basic ")) {
        const [theirs] = Buffer.from(header.slice(6), "base64").toString().split(":");
        const clientId = names.get(theirs!);
        const secret = clientId && secrets.get(clientId);
        if (!secret) throw new Error(`no credentials for the example's Client Object ${theirs}`);
        return { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}` };
      }
      const token = names.get(header.slice("Bearer ".length));
      if (!token) throw new Error("the example's token comes from no earlier token request");
      return { authorization: `Bearer ${token}` };
    }

    function body(example: SpecExample, request: RequestMessage): { text: string; type: string } | undefined {
      const parsed = parseBody(request);
      const adjust = adjustments[example.id]?.body ?? ((v) => v);
      if (parsed.kind === "json") return { text: JSON.stringify(adjust(JSON.parse(translate(JSON.stringify(parsed.value))) as Record<string, unknown>)), type: "application/json" };
      if (parsed.kind === "form") {
        const translated = Object.fromEntries(Object.entries(parsed.value).map(([k, v]) => [k, translate(v)]));
        return { text: new URLSearchParams(adjust(translated) as Record<string, string>).toString(), type: contentType(request) ?? "application/x-www-form-urlencoded" };
      }
      if (parsed.kind === "text") throw new Error(`${example.id}: a text body`);
      return undefined;
    }

    const asObject = (v: unknown) => (v && typeof v === "object" ? (v as Record<string, unknown>) : {});
    const scopeSet = (s: unknown) => String(s ?? "").split(" ").sort().join(" ");

    /** Remembers what an answer made, under the example's names for it. */
    async function learn(example: SpecExample, expected: unknown, actual: unknown) {
      const theirs = asObject(expected);
      const ours = asObject(actual);
      for (const key of ["client_id", "access_token", "refresh_token", "message_id"]) {
        if (typeof theirs[key] === "string" && typeof ours[key] === "string") names.set(theirs[key], ours[key]);
      }
      if (example.id === "wg3-01/13.1.2-1") secrets.set(String(ours.client_id), String(ours.client_secret));
      const grantIds = [theirs.cds_grant_ids, ours.cds_grant_ids];
      if (Array.isArray(grantIds[0]) && Array.isArray(grantIds[1]) && grantIds[1].length) names.set(String(grantIds[0][0]), String(grantIds[1][0]));
      // §13.1.4: the example's Client Objects are ours with the same scopes.
      if (Array.isArray(theirs.clients) && Array.isArray(ours.clients)) {
        for (const c of theirs.clients as Record<string, unknown>[]) {
          const match = (ours.clients as Record<string, unknown>[]).find((o) => scopeSet(o.scope) === scopeSet(translate(String(c.scope))));
          if (match) names.set(String(c.client_id), String(match.client_id));
        }
      }
      // §13.1.5: the example's endpoint URLs are the ones our Client-specific metadata names.
      for (const key of ["token_endpoint", "authorization_endpoint", ...Object.keys(theirs).filter((k) => k.startsWith("cds_") && k.endsWith("_api"))]) {
        if (typeof theirs[key] === "string" && typeof ours[key] === "string") names.set(theirs[key], ours[key]);
      }
    }

    it("replays every §13 example of client management and authorization, in order", () => {
      expect(examples.map((e) => e.id)).toEqual([
        "wg3-01/13.1.1-1", "wg3-01/13.1.2-1", "wg3-01/13.1.3-1", "wg3-01/13.1.4-1", "wg3-01/13.1.5-1", "wg3-01/13.1.5-2", "wg3-01/13.1.5-3",
        "wg3-01/13.1.6-1", "wg3-01/13.2.1-1", "wg3-01/13.3.1-1", "wg3-01/13.3.2-1", "wg3-01/13.3.2-2", "wg3-01/13.3.3-1", "wg3-01/13.3.3-2",
        "wg3-01/13.3.6-1", "wg3-01/13.3.7-1", "wg3-01/13.4.1-1", "wg3-01/13.4.2-1", "wg3-01/13.4.3-1", "wg3-01/13.4.4-1",
      ]);
    });

    /** Sends one example request; checks its status and, strictly, its body; learns what it made. */
    async function replay(example: SpecExample, index: number, request: RequestMessage, response: ResponseMessage) {
      // The Host header names the example Server's origin: a URL its metadata named becomes ours as a whole.
      const host = request.headers.find(([name]) => name.toLowerCase() === "host")?.[1] ?? "example.com";
      const url = new URL(translate(`https://${host}${request.target}`));
      const sent = body(example, request);
      const res = await fetch(url, {
        method: request.method,
        headers: { ...authorization(request), ...(sent ? { "content-type": sent.type } : {}) },
        ...(sent ? { body: sent.text } : {}),
      });
      const text = await res.text();
      const status = expectedStatus[example.id]?.status ?? response.status;
      expect(res.status, `${example.id} #${index}: ${text.slice(0, 600)}`).toBe(status);
      const hint = hints[`${example.id} #${index}`];
      const match = hint?.operationId ? findOperationById(documents, hint.operationId) : findOperation(documents, request.method, url.pathname);
      expect(match, `${example.id}: no contract operation for ${request.method} ${url.pathname}`).not.toBeNull();
      const mediaType = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
      const model = responseModel(match!, status, mediaType);
      expect(model, `${example.id}: the contract declares no body for ${status} ${mediaType}`).toBeTruthy();
      const value = JSON.parse(text) as unknown;
      const checked = validate(model as Parameters<typeof validate>[0], value, "strict");
      expect(checked.ok, `${example.id}: ${model} ${checked.ok ? "" : checked.errors.map((e) => `${e.pointer} ${e.rule}`).join(", ")}`).toBe(true);
      const expected = parseBody(response);
      await learn(example, expected.kind === "json" ? expected.value : undefined, value);
      return value;
    }

    /** A document the hint models, checked strictly. */
    function validateDocument(example: SpecExample, index: number, text: string) {
      const hint = hints[`${example.id} #${index}`]!;
      for (const [pointer, value] of readDocument(text, hint.documentKind!)) {
        const checked = validate(hint.documentModel as Parameters<typeof validate>[0], value, "strict");
        expect(checked.ok, `${example.id}${pointer}: ${hint.documentModel} ${checked.ok ? "" : checked.errors.map((e) => `${e.pointer} ${e.rule}`).join(", ")}`).toBe(true);
      }
    }

    /** The Client Admin token of §13.1.3, under the example's name for it. */
    const adminToken = () => names.get("nar3UDNdYkXV-xv-92C5tDYEpd7DLOcvCe32NEo6GqHdAHkEF-WjRTLbmj6Si3l88IHLX4AucaJIhBY2xpddFA")!;

    /** Set-up steps the examples take for granted, before the example that needs them. */
    const before: Record<string, () => Promise<void>> = {
      // The Credentials listing never shows secrets (E-WG1-02-20): the Client makes one for each Client
      // Object it will authenticate as, as CDS-WG1-02 §7.5 (§12.13) shows.
      "wg3-01/13.2.1-1": async () => {
        const admin = adminToken();
        for (const theirs of ["gid791e642d92a97340", "cd53db9fd4533d593b", "cd19fadc538d3bf3b0"]) {
          const clientId = names.get(theirs)!;
          const created = await call(server, "POST", "/cds-api/v1/credentials", { token: admin, body: { client_id: clientId } });
          expect(created.status, JSON.stringify(created.body)).toBe(201);
          secrets.set(clientId, strictly(validateCredential(created.body, "strict")).client_secret!);
        }
      },
      // §13.3.1 keeps the Client Object's own default redirect URI and status.
      "wg3-01/13.3.1-1": async () => {
        const admin = adminToken();
        const client = await call(server, "GET", `/cds-api/v1/clients/${names.get("cd19fadc538d3bf3b0")}`, { token: admin });
        const c = asObject(client.body);
        names.set("default-redirect", String(c.cds_default_redirect_uri));
        names.set("consent-client-status", String(c.cds_status));
      },
      // Between §13.4.1 and §13.4.2 the example Server's operator made the Grant asked for and
      // answered the Message (CDS-WG1-02 §6.9); here through the operator API.
      "wg3-01/13.4.2-1": async () => {
        const clientId = names.get("cd53db9fd4533d593b")!;
        const grantId = "replay-server-created-grant";
        const details = [{ type: "cds_query_accounts_1", account_numbers: [demoAccountNumber], include_account_numbers: true, include_account_details: true, sync_until: new Date().toISOString().replace(/\.\d+Z$/, "Z") }];
        await under.database.db.insert(grants).values({ id: grantId, clientId, status: "active", scope: "cds_query_accounts_1", enabledScope: "cds_query_accounts_1", authorizationDetails: details as never, enabledAuthorizationDetails: details as never, accountId: customer.accountId });
        names.set("699b2d01560eb9f1", grantId);
        await server.operator.resolveRequest({ messageId: names.get("ec603313741e824c")!, status: "complete", grantIds: [grantId] });
      },
    };

    /** What each answer must also show for the story to hold, beyond its contract. */
    const after: Record<string, (value: Record<string, unknown>) => void> = {
      // A Client Admin token reaches no Grant: the list is there and empty (ERRATA E-WG3-01-410).
      "wg3-01/13.1.3-1": (v) => expect(v.cds_grant_ids).toEqual([]),
      "wg3-01/13.3.1-1": (v) => expect(v.redirect_uris).toContain("https://energy-app.example.com/redirect"),
      "wg3-01/13.3.3-2": (v) => {
        expect(scopeSet(v.scope)).toBe("cds_service_contracts_1 cds_usage_1");
        // The Grant the customer's approval made, named by the token response itself (ERRATA E-WG3-01-410):
        // §13.3.6 lists Grants by this id, learned from here.
        expect(v.cds_grant_ids).toEqual([names.get("dcf6a23cb940d6a0")]);
      },
      "wg3-01/13.3.6-1": (v) => {
        const listed = v.grants as Record<string, unknown>[];
        expect(listed.map((g) => g.grant_id)).toEqual([names.get("dcf6a23cb940d6a0")]);
        expect(listed[0]).toMatchObject({ status: "active", client_id: names.get("cd19fadc538d3bf3b0") });
        expect(listed[0]!.receipt_confirmations).toHaveLength(1);
      },
      "wg3-01/13.3.7-1": (v) => {
        expect(v.authorization_details).toEqual([{ type: "cds_grant_admin_1", client_id: names.get("cd19fadc538d3bf3b0"), grant_id: names.get("dcf6a23cb940d6a0") }]);
        // A Grant Admin token reaches the one Grant it administers (ERRATA E-WG3-01-410).
        expect(v.cds_grant_ids).toEqual([names.get("dcf6a23cb940d6a0")]);
      },
      "wg3-01/13.4.2-1": (v) => {
        const reply = (v.unread as Record<string, unknown>[]).find((m) => m.type === "request_update");
        expect(reply).toMatchObject({ status: "complete", previous_uri: expect.stringContaining(names.get("ec603313741e824c")!) });
      },
      "wg3-01/13.4.4-1": (v) => expect(v.cds_grant_ids).toEqual([names.get("699b2d01560eb9f1")]),
      "wg3-01/13.4.3-1": (v) => expect(v).toMatchObject({ grant_id: names.get("699b2d01560eb9f1"), client_id: names.get("cd53db9fd4533d593b"), scope: "cds_query_accounts_1" }),
    };

    it.each(examples.map((e) => [`§${e.section} ${e.heading} (${e.id})`, e] as const))("%s", async (_title, example) => {
      await before[example.id]?.();
      const messages = example.messages;
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i]!;
        if (m.kind === "request") {
          const response = messages[i + 1] as ResponseMessage;
          const value = await replay(example, i + 1, m, response);
          after[example.id]?.(asObject(value));
          i++;
        } else if (m.kind === "document") {
          await replayDocument(example, i + 1, m);
        }
      }
    });

    /** §13.3.2–§13.3.3's bare documents: the authorization request URL, its details, and the redirect back. */
    async function replayDocument(example: SpecExample, index: number, doc: DocumentMessage) {
      if (example.id === "wg3-01/13.3.2-1") {
        // The request, with our PKCE challenge (E-WG3-01-31), sent to the authorization endpoint §13.1.5 named.
        const url = new URL(translate(doc.body.replace(/\s+/g, "")));
        url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(pkce.verifier));
        sentAuthorizationDetails = JSON.parse(url.searchParams.get("authorization_details")!);
        validateDocument(example, index, url.toString());
        // A real customer signs in and approves; `_all` contract numbers tick every service of theirs.
        const browser = new Browser(server.url);
        const first = await browser.follow(url.toString());
        expect(first.location, `the request went back to the Client: ${first.location}`).toBeUndefined();
        const form = await signIn(browser, await first.response.text());
        expect(form).toMatch(/name="s0\.selected" value="[^"]+" checked/);
        expect(form, "§7.4.4: the two merged scopes share one Request Section").not.toContain('name="s1.selected"');
        callback = await approve(browser, form);
        expect(callback.origin).toBe("https://energy-app.example.com");
        return;
      }
      if (example.id === "wg3-01/13.3.2-2") {
        // The decoded details are the ones the request carried.
        expect(JSON.parse(translate(JSON.stringify(readDocument(doc.body, "json")[0]![1]))), JSON.stringify(sentAuthorizationDetails)).toEqual(sentAuthorizationDetails);
        for (const [i, entry] of (sentAuthorizationDetails as unknown[]).entries()) {
          const checked = validate("CustomerDataAuthorizationDetail", entry, "strict");
          expect(checked.ok, `${example.id}/${i}: ${checked.ok ? "" : checked.errors.map((e) => `${e.pointer} ${e.rule}`).join(", ")}`).toBe(true);
        }
        return;
      }
      if (example.id === "wg3-01/13.3.3-1") {
        // The redirect back carries the code and the state sent, and validates as an authorization response.
        expect(callback, "§13.3.2's customer approved").not.toBeNull();
        expect(callback!.searchParams.get("state")).toBe("mystate1234");
        validateDocument(example, index, callback!.toString());
        const theirs = new URL(doc.body.replace(/\s+/g, "")).searchParams.get("code")!;
        names.set(theirs, callback!.searchParams.get("code")!);
        return;
      }
      throw new Error(`${example.id}: a document this replay does not know`);
    }
  },
  { scenario: true },
);
