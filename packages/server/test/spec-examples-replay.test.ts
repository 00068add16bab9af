/**
 * CDS-WG1-02 §12, replayed: every request the spec's examples show is sent to
 * this server, in the spec's order, and each answer must have the example's
 * status (or the one spec/ERRATA.md decides) and a body the contract's strict
 * validator accepts for that operation and status.
 *
 * The examples' Server is not this one, so its names are translated: its
 * Client Objects, Grant, file and secrets become the demo registration's,
 * Messages and Credentials become the ones the earlier examples created, and
 * tokens the ones the earlier token requests returned. Every other change to
 * an example request is listed in `adjustments` with its reason; nothing is
 * skipped.
 */
import { openapiDocuments } from "@cds-toolkit/schemas";
import { validate, validateCredential } from "@cds-toolkit/validators";
import { beforeAll, expect, it } from "vitest";
import { contentType, loadExamples, parseBody } from "../../../tools/checks/examples.ts";
import { findOperation, RAW_BYTES, responseModel } from "../../../tools/checks/operations.ts";
import type { RequestMessage, ResponseMessage, SpecExample } from "../../../tools/examples/model.ts";
import { demoFiles } from "../src/demo/demo-files.ts";
import { demoApp } from "../src/demo/demo-app.ts";
import { consentScopeIds } from "../src/customer-data/scopes/consent.ts";

const hasModel = (model: Parameters<typeof validate>[0]) => {
  try {
    validate(model, null);
    return true;
  } catch {
    return false;
  }
};
import { demoGrant } from "../src/demo/demo-consent-grant.ts";
import { demoClient } from "../src/demo/demo-utility.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { generateClientSecret } from "../src/oauth/client-secrets.ts";
import type { CdsServer } from "../src/server.ts";
import { basic, call, strictly } from "./helpers/cds-client.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useListeningServer } from "./helpers/servers.ts";

const examples = (await loadExamples()).filter((e) => e.spec === "CDS-WG1-02");

/** Statuses that differ from the example's, by decision. */
const expectedStatus: Record<string, { status: number; why: string }> = {
  "wg1-02/12.3-1": { status: 201, why: "registration answers 201 Created (spec/ERRATA.md E-WG1-02-1)" },
};

/** Changes to a request beyond translating names, each with its reason. */
interface Adjustment {
  why: string;
  body?: (value: unknown) => unknown;
  /** Names of this example only, before the shared ones. */
  names?: Record<string, string>;
  /** The example names an object the spec never shows being made; it stands for the one another example made (their name). */
  sameAs?: Record<string, string>;
  basicClientId?: string;
}

const createdMessage = { "9047a057519c0ea4": "00d1852055088ae7" };
const createdCredential = { "8406a1fd23d73417": "232582c87b83745d" };

const adjustments: Record<string, Adjustment> = {
  "wg1-02/12.10-1": { why: "it reads a Message the spec never shows being made; the one §12.9 made stands in", sameAs: createdMessage },
  "wg1-02/12.11-1": { why: "as §12.10", sameAs: createdMessage },
  "wg1-02/12.14-1": { why: "it reads a Credential the spec never shows being made; the one §12.13 made stands in", sameAs: createdCredential },
  "wg1-02/12.15-1": {
    why: "as §12.14; and the example's expiry (2025-10-10) has passed, while a Credential cannot be given an expiry in the past (§7.6)",
    sameAs: createdCredential,
    body: (v) => ({ ...(v as object), client_secret_expires_at: Math.floor(Date.now() / 1000) + 3600 }),
  },
  "wg1-02/12.4-1": {
    why: "its Basic credentials name `aaf026921707f5d5h`, one character more than the Client Object of §12.3 and §12.5 (spec/ERRATA.md E-WG1-02-36)",
    basicClientId: "aaf026921707f5d5",
  },
  "wg1-02/12.3-1": {
    why: "`example_custom` and the `cds_company_name` Registration Field are the example Server's own (§12.2); this server describes neither",
    body: (v) => {
      const { cds_company_name: _dropped, ...rest } = v as Record<string, unknown>;
      return { ...rest, scope: String(rest.scope).replace(" example_custom", "") };
    },
  },
  "wg1-02/12.7-1": {
    why: "`cds_company_name` is the example Server's Registration Field; the default redirect URI on the Server's host is the demo app's own",
    body: (v) => {
      const { cds_company_name: _dropped, ...rest } = v as Record<string, unknown>;
      // The demo app holds every CDS-WG3-01 consent scope; the example's one scope stands for them.
      return {
        ...rest,
        redirect_uris: [demoApp.redirectUri, "https://client.example.com/my-new-redirect"],
        scope: demoApp.registeredScope,
        authorization_details_types: [...consentScopeIds],
      };
    },
    // Applied before names are translated, like every adjustment.
  },

  "wg1-02/12.18-1": {
    why: "the spec closes the files Grant before §12.19–§12.22 use it; closing the demo consent Grant (demo-grant-1) keeps them meaningful",
    names: { c644a5da13f379db: demoGrant.id },
  },
};

describeEachDatabase("CDS-WG1-02 §12 examples, replayed", (under) => {
  let server: CdsServer;
  useListeningServer(under, (started) => (server = started));

  const secret = generateClientSecret();
  /** The example Server's names → this server's; grows as examples create objects and tokens. */
  const names = new Map<string, string>();
  /** Basic credentials of the example's Client Objects, as `id:secret` pairs of this server. */
  const basicFor = new Map<string, string>();

  beforeAll(async () => {
    await seedDemoData(under.database.db, secret);
    const admin = await fetch(`${server.url}/oauth/token`, {
      method: "POST",
      headers: { authorization: basic(demoClient.clientId, secret), "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&scope=cds_client_admin",
    });
    const token = ((await admin.json()) as { access_token: string }).access_token;
    // The Grant Admin Client Object gets its Credential as §12's walkthrough does.
    const created = await call(server, "POST", "/cds-api/v1/credentials", { token, body: { client_id: demoFiles.grantAdminClientId } });
    const grantAdminSecret = strictly(validateCredential(created.body, "strict")).client_secret!;

    for (const [theirs, ours] of [
      ["aaf026921707f5d5", demoClient.clientId],
      ["22bb40b5b823fa8c", demoFiles.grantAdminClientId],
      ["7e22b5568893c547", demoFiles.filesClientId],
      ["af653d57fa364da5", demoApp.clientId],
      ["d62bdc99ff26e0b4", demoGrant.id],
      ["c644a5da13f379db", demoFiles.grantId],
      ["4fcf6831957a243c", demoFiles.fileId],
      ["example_custom", demoApp.scope],
    ] as const) {
      names.set(theirs, ours);
    }
    basicFor.set("aaf026921707f5d5", `${demoClient.clientId}:${secret}`);
    basicFor.set("22bb40b5b823fa8c", `${demoFiles.grantAdminClientId}:${grantAdminSecret}`);
  });

  /** Replaces every name of the example Server, and its origin, in `text`. */
  const translate = (text: string, adjust?: Adjustment) => {
    let out = text.replaceAll("https://example.com", server.url);
    const same = Object.entries(adjust?.sameAs ?? {}).map(([theirs, other]): [string, string] => [theirs, names.get(other) ?? other]);
    for (const [theirs, ours] of [...Object.entries(adjust?.names ?? {}), ...same, ...names]) out = out.replaceAll(theirs, ours);
    return out;
  };

  function authorization(example: SpecExample, request: RequestMessage): Record<string, string> {
    // §12.20–§12.22 spell the header `Authorizatin` (spec/ERRATA.md E-WG1-02-19).
    const header = request.headers.find(([name]) => /^authori[sz]/i.test(name))?.[1];
    if (!header) return {};
    if (header.startsWith("Basic ")) {
      const [printed] = Buffer.from(header.slice(6), "base64").toString().split(":");
      const clientId = adjustments[example.id]?.basicClientId ?? printed!;
      const pair = basicFor.get(clientId);
      if (!pair) throw new Error(`${example.id}: no credentials for the example's Client Object ${clientId}`);
      return { authorization: `Basic ${Buffer.from(pair).toString("base64")}` };
    }
    const token = names.get(header.slice("Bearer ".length));
    if (!token) throw new Error(`${example.id}: the example's token comes from no earlier token request`);
    return { authorization: `Bearer ${token}` };
  }

  function body(example: SpecExample, request: RequestMessage): string | undefined {
    const adjust = adjustments[example.id];
    const parsed = parseBody(request);
    if (parsed.kind === "none") return undefined;
    if (parsed.kind === "json") {
      // Bodies with the spec's syntax slips (spec/ERRATA.md json-syntax findings) go as the JSON they mean.
      const adjusted = adjust?.body ? adjust.body(parsed.value) : parsed.value;
      return translate(JSON.stringify(adjusted), adjust);
    }
    if (parsed.kind === "form") return new URLSearchParams(Object.entries(parsed.value).map(([k, v]): [string, string] => [k, translate(v, adjust)])).toString();
    return translate(parsed.value, adjust);
  }

  /** Remembers what an answer created, under the example's names for it. */
  function learn(expectedBody: unknown, actual: unknown) {
    if (!expectedBody || typeof expectedBody !== "object" || !actual || typeof actual !== "object") return;
    for (const key of ["access_token", "message_id", "credential_id"] as const) {
      const theirs = (expectedBody as Record<string, unknown>)[key];
      const ours = (actual as Record<string, unknown>)[key];
      if (typeof theirs === "string" && typeof ours === "string") names.set(theirs, ours);
    }
  }

  it("replays every CDS-WG1-02 §12 example request", () => {
    expect(examples.map((e) => e.section)).toEqual(Array.from({ length: 22 }, (_, i) => `12.${i + 1}`));
  });

  it.each(examples.map((e) => [`§${e.section} ${e.heading}`, e] as const))("%s", async (_title, example) => {
    const request = example.messages.find((m): m is RequestMessage => m.kind === "request")!;
    const response = example.messages.find((m): m is ResponseMessage => m.kind === "response")!;
    const adjust = adjustments[example.id];
    const target = translate(request.target, adjust);
    const type = contentType(request);
    const sent = body(example, request);
    const res = await fetch(`${server.url}${target}`, {
      method: request.method,
      headers: { ...authorization(example, request), ...(sent === undefined ? {} : { "content-type": type ?? (parseBody(request).kind === "form" ? "application/x-www-form-urlencoded" : "application/json") }) },
      ...(sent === undefined ? {} : { body: sent }),
    });
    const raw = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(raw);
    const status = expectedStatus[example.id]?.status ?? response.status;
    expect(res.status, `${example.id}: ${text.slice(0, 400)}`).toBe(status);

    // The server implements the CDS-WG3-01 extension, so its documents answer to that contract where it covers the path (CDS-WG3-01 §3, §5).
    const match =
      findOperation({ "customer-data": openapiDocuments["customer-data"] as never }, request.method, target) ??
      findOperation({ "client-registration": openapiDocuments["client-registration"] as never }, request.method, target);
    expect(match, `${example.id}: no contract operation for ${request.method} ${request.target}`).not.toBeNull();
    const mediaType = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
    const model = responseModel(match!, status, mediaType);
    if (model === RAW_BYTES) {
      // §12.22: the file's bytes, as an attachment named like the file.
      expect(raw.length).toBe(Number(res.headers.get("content-length")));
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="/);
      return;
    }
    expect(model, `${example.id}: the contract declares no body for ${status} ${mediaType}`).toBeTruthy();
    const value = JSON.parse(text) as unknown;
    // A CDS-WG3-01 Server answers with the CDS-WG3-01 extension of the model where there is one (§5, §8.1).
    const extended = `CustomerData${String(model)}` as Parameters<typeof validate>[0];
    const checked = validate(hasModel(extended) ? extended : (model as Parameters<typeof validate>[0]), value, "strict");
    expect(checked.ok, `${example.id}: ${model} ${checked.ok ? "" : checked.errors.map((e) => `${e.pointer} ${e.rule}`).join(", ")}`).toBe(true);
    const expectedBody = parseBody(response);
    learn(expectedBody.kind === "json" ? expectedBody.value : undefined, value);
  });
}, { scenario: true });
