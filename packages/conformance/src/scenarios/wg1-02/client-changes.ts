/**
 * CDS-WG1-02 §5.3, §5.5, §6.1, §6.3, §6.5, §7.1, §7.3: what follows a change
 * to a Client Object or a Credential after registration — the changelog
 * Messages, a change held for review, disabling, and the Server's answers to
 * requests. They work on a registration of the suite's own with one
 * interactive Client Object, so the Clients under test are left alone.
 */
import { isDeepStrictEqual } from "node:util";
import { isObject, type Json, type ScenarioContext } from "../../context.js";
import type { ClientCredentials } from "../../options.js";
import { describe } from "../../http.js";
import type { Scenario } from "../../scenario.js";
import { listAll } from "./listing.js";

const spec = "CDS-WG1-02" as const;
const lists = ["outstanding", "unread", "read"] as const;

/** A new registration for cds_client_admin and a free customer-authorized scope; skips when the Server describes none. */
export async function registerInteractive(ctx: ScenarioContext): Promise<{ admin: ClientCredentials; scope: string }> {
  const descriptions = (await ctx.asMetadata()).cds_scope_descriptions as Record<string, Json> | undefined;
  const scope = Object.values(descriptions ?? {}).find(
    (d) => Array.isArray(d.registration_requirements) && d.registration_requirements.length === 0 && Array.isArray(d.response_types_supported) && d.response_types_supported.length > 0 && d.type !== "cds_client_admin",
  );
  if (!scope) ctx.skip("the Server describes no customer-authorized scope without registration requirements, for a Client Object of the suite's own");
  const res = await ctx.register({ scope: `cds_client_admin ${String(scope.id)}` });
  ctx.expectStatus(res, [200, 201], "4.2", `registration for cds_client_admin ${String(scope.id)}`);
  const body = res.json as Json;
  return { admin: { clientId: String(body.client_id), clientSecret: String(body.client_secret) }, scope: String(scope.id) };
}

/** A registration's Client Object for `scope`, with a Client admin token of that registration. */
export async function clientFor(ctx: ScenarioContext, registered: { admin: ClientCredentials; scope: string }): Promise<{ token: string; client: Json }> {
  const token = await ctx.clientToken(registered.admin);
  const clients = await listAll(ctx, await ctx.endpoint("cds_clients_api"), token, "clients", "5.3");
  const client = clients.find((c) => String(c.scope).split(" ").includes(registered.scope));
  ctx.check(client, "4.2", `registering for ${registered.scope} made no Client Object for it`);
  return { token, client };
}

/** The suite's registration (made once per run) for a free interactive scope, and its Client Object for that scope. */
async function suiteClient(ctx: ScenarioContext): Promise<{ token: string; client: Json }> {
  return clientFor(ctx, await ctx.once("client-changes-registration", () => registerInteractive(ctx)));
}

/** Every Message of the registration, each list followed to its end. */
async function allMessages(ctx: ScenarioContext, token: string): Promise<Json[]> {
  const api = await ctx.endpoint("cds_messages_api");
  const first = await ctx.request(api, { bearer: token });
  ctx.check(first.status === 200 && isObject(first.json), "6.8", `GET the Messages API answered ${describe(first)}`);
  const byId = new Map<string, Json>();
  for (const list of lists) {
    let page: Json = first.json;
    for (let pages = 0; ; pages++) {
      for (const m of Array.isArray(page[list]) ? (page[list] as unknown[]).filter(isObject) : []) byId.set(String(m.message_id), m);
      const next = page[`${list}_next`];
      if (typeof next !== "string") break;
      ctx.check(pages < 200, "6.8", `the ${list}_next links do not end`);
      const res = await ctx.request(next, { bearer: token });
      ctx.check(res.status === 200 && isObject(res.json), "6.8", `following ${list}_next answered ${describe(res)}`);
      page = res.json;
    }
  }
  return [...byId.values()];
}

const idsOf = (messages: readonly Json[]) => new Set(messages.map((m) => String(m.message_id)));

/** Messages written since `seen` was taken. */
async function newMessages(ctx: ScenarioContext, token: string, seen: ReadonlySet<string>): Promise<Json[]> {
  return (await allMessages(ctx, token)).filter((m) => !seen.has(String(m.message_id)));
}

/**
 * The Server's changelog entry about the object at `uri` among `fresh`:
 * written by the Server (§6.1 `creator` null), unread as every Server-written
 * Message starts (§6.1), linking the object. Fails naming `section` when absent.
 */
function checkLogged(ctx: ScenarioContext, fresh: readonly Json[], uri: string, section: string, what: string): Json {
  const about = fresh.filter((m) => m.related_uri === uri && m.creator === null);
  ctx.check(about.length > 0, section, `${what}, but no new Message from the Server links ${uri}`);
  for (const m of about) {
    ctx.conforms("Message", m, "6.1", `the changelog Message ${String(m.message_id)}`);
    ctx.check(m.read === false, "6.1", `the Server-created Message ${String(m.message_id)} is already read`);
  }
  return about[0]!;
}

export const changelog: Scenario = {
  id: "wg1-02/changelog",
  spec,
  title: "Adding or changing a Credential, and changing a Client Object, each leave an unread Server Message linking it, never with the secret",
  sections: ["5.3", "6.1", "7.3"],
  musts: ["WG1-02-5.3-5", "WG1-02-6.1-6", "WG1-02-7.3-8"],
  async run(ctx: ScenarioContext) {
    const { token, client } = await suiteClient(ctx);
    const credentialsApi = await ctx.endpoint("cds_credentials_api");

    let seen = idsOf(await allMessages(ctx, token));
    const created = await ctx.request(credentialsApi, { bearer: token, body: { client_id: client.client_id } });
    ctx.expectStatus(created, 201, "7.5", `POST a Credential for ${String(client.client_id)}`);
    const credential = created.json as Json;
    let fresh = await newMessages(ctx, token, seen);
    checkLogged(ctx, fresh, String(credential.uri), "7.3", `a Credential was added for ${String(client.client_id)}`);
    if (typeof credential.client_secret === "string") ctx.check(!JSON.stringify(fresh).includes(credential.client_secret), "7.3", "a Message about the new Credential carries its client_secret");

    seen = idsOf(await allMessages(ctx, token));
    const expiry = Math.floor(Date.now() / 1000) + 7 * 86_400;
    const changed = await ctx.request(String(credential.uri), { method: "PATCH", bearer: token, body: { client_secret_expires_at: expiry } });
    ctx.expectStatus(changed, 200, "7.6", "PATCH the new Credential to expire in a week");
    checkLogged(ctx, await newMessages(ctx, token, seen), String(credential.uri), "7.3", "a Credential's expiry was changed");

    seen = idsOf(await allMessages(ctx, token));
    const renamed = await ctx.request(String(client.cds_client_uri), { method: "PUT", bearer: token, body: { ...client, client_name: "CDS conformance (changelog check)" } });
    ctx.expectStatus(renamed, [200, 202], "5.5", `PUT a new client_name on ${String(client.client_id)}`);
    if (renamed.status === 202) ctx.skip("the Server reviews client_name changes, so the Client Object did not change now (the Credential changelog was checked)");
    fresh = await newMessages(ctx, token, seen);
    checkLogged(ctx, fresh, String(client.cds_client_uri), "5.3", `Client Object ${String(client.client_id)} was modified`);
  },
};

export const requestResolution: Scenario = {
  id: "wg1-02/request-resolution",
  spec,
  title: "The operator rejects a production request (the reply says why), then completes one (the reply links the production Client Object)",
  sections: ["6.3", "6.9"],
  musts: ["WG1-02-6.3-3", "WG1-02-6.3-6"],
  async run(ctx: ScenarioContext) {
    const operator = ctx.operator();
    const { token, client } = await suiteClient(ctx);
    const options = Array.isArray(client.cds_status_options) ? client.cds_status_options : [];
    if (options.includes("production") || !options.includes("sandbox")) ctx.skip(`the suite's Client Object offers ${options.join(", ")}: no sandbox Client Object to request production for`);
    const api = await ctx.endpoint("cds_messages_api");
    const ask = async (name: string) => {
      const res = await ctx.request(api, { bearer: token, body: { type: "production_request", previous_uri: null, name, description: "Sent by the CDS conformance suite.", related_uri: client.cds_client_uri } });
      ctx.expectStatus(res, 201, "6.9", "POST a production_request for the suite's sandbox Client Object");
      ctx.check((res.json as Json).status === "pending", "6.9", `a new production_request has status ${String((res.json as Json).status)}, not pending`);
      return res.json as Json;
    };
    /** The Server's reply to `request` (§6.3: a Message whose previous_uri is the request). */
    const replyTo = async (request: Json) => {
      const replies = (await allMessages(ctx, token)).filter((m) => m.previous_uri === request.uri && m.creator === null);
      ctx.check(replies.length > 0, "6.3", `the operator resolved request ${String(request.message_id)}, but no Server Message replies to it`);
      ctx.conforms("Message", replies[0], "6.3", "the reply");
      return replies[0]!;
    };

    const refused = await ask("Production, please (to be rejected)");
    await operator.resolveRequest({ messageId: String(refused.message_id), status: "rejected", description: "Rejected by the CDS conformance suite's operator: a check of CDS-WG1-02 §6.3." });
    const rejection = await replyTo(refused);
    ctx.check(rejection.status === "rejected", "6.3", `the reply to a rejected request has status ${String(rejection.status)}`);
    ctx.check(typeof rejection.description === "string" && rejection.description.trim().length > 0 && rejection.description !== refused.description, "6.3", "the rejection does not explain in its description why");
    const unchanged = await ctx.request(String(client.cds_client_uri), { bearer: token });
    ctx.check(isObject(unchanged.json) && Array.isArray(unchanged.json.cds_status_options) && !unchanged.json.cds_status_options.includes("production"), "6.3", "a rejected production request still added production to the Client Object");

    const asked = await ask("Production, please");
    await operator.resolveRequest({ messageId: String(asked.message_id), status: "complete" });
    const completion = await replyTo(asked);
    ctx.check(completion.status === "complete", "6.3", `the reply to a completed production request has status ${String(completion.status)}`);
    const request = await ctx.request(String(asked.uri), { bearer: token });
    const links = [completion, request.json].filter(isObject).map((m) => m.related_uri);
    ctx.check(links.every((l) => typeof l === "string"), "6.3", "a completed production request (or its reply) links nothing");
    for (const link of new Set(links as string[])) {
      const linked = await ctx.request(link, { bearer: token });
      ctx.check(
        linked.status === 200 && isObject(linked.json) && Array.isArray(linked.json.cds_status_options) && linked.json.cds_status_options.includes("production"),
        "6.3",
        `the completed production request links ${link}, which is not a Client Object offering production (${describe(linked)})`,
      );
    }
  },
};

export const clientDisable: Scenario = {
  id: "wg1-02/client-disable",
  spec,
  title: "Disabling a Client Object: its Credentials expire at that moment, and the Client Object and each Credential are logged",
  sections: ["5.3", "7.1", "7.3"],
  musts: ["WG1-02-7.1-8", "WG1-02-5.3-5", "WG1-02-7.3-8"],
  async run(ctx: ScenarioContext) {
    const { token, client } = await suiteClient(ctx);
    if (client.cds_status === "disabled") ctx.skip("the suite's Client Object is already disabled");
    const credentialsApi = `${await ctx.endpoint("cds_credentials_api")}`;
    const ofClient = () => listAll(ctx, `${credentialsApi}${credentialsApi.includes("?") ? "&" : "?"}client_ids=${encodeURIComponent(String(client.client_id))}`, token, "credentials", "7.3");
    const before = await ofClient();
    ctx.check(before.length > 0, "4.2", `Client Object ${String(client.client_id)} has no Credential`);

    const seen = idsOf(await allMessages(ctx, token));
    const res = await ctx.request(String(client.cds_client_uri), { method: "PUT", bearer: token, body: { ...client, cds_status: "disabled" } });
    ctx.expectStatus(res, [200, 202], "5.5", `PUT cds_status=disabled on ${String(client.client_id)}`);
    if (res.status === 202) {
      // Held for review: the operator approves it.
      const operator = ctx.operator();
      const review = (await newMessages(ctx, token, seen)).find((m) => m.status === "pending" && m.related_uri === client.cds_client_uri);
      ctx.check(review, "5.5", "a 202 to disabling brought no pending Message to track its review");
      await operator.resolveRequest({ messageId: String(review.message_id), status: "complete" });
    }
    const now = await ctx.request(String(client.cds_client_uri), { bearer: token });
    ctx.check(isObject(now.json) && now.json.cds_status === "disabled", "5.5", `after disabling, ${String(client.client_id)} has cds_status ${isObject(now.json) ? String(now.json.cds_status) : describe(now)}`);
    // The moment of disabling on the Server's own clock: the Client Object's cds_modified.
    const disabledAt = Math.floor(Date.parse(String(now.json.cds_modified)) / 1000);

    const fresh = await newMessages(ctx, token, seen);
    checkLogged(ctx, fresh, String(client.cds_client_uri), "5.3", `Client Object ${String(client.client_id)} was disabled`);
    for (const credential of await ofClient()) {
      const expires = Number(credential.client_secret_expires_at);
      ctx.check(expires !== 0 && Math.abs(expires - disabledAt) <= 1, "7.1", `Credential ${String(credential.credential_id)} of the disabled Client Object expires at ${String(credential.client_secret_expires_at)}, not when it was disabled (${disabledAt})`);
      const was = before.find((c) => c.credential_id === credential.credential_id);
      if (was && was.client_secret_expires_at !== credential.client_secret_expires_at) {
        checkLogged(ctx, fresh, String(credential.uri), "7.3", `disabling changed Credential ${String(credential.credential_id)}'s expiry`);
      }
    }
  },
};

export const clientReview: Scenario = {
  id: "wg1-02/client-review",
  spec,
  title: "A Client Object change held for review answers 202 with the old values and a Message giving each field's old and new value",
  sections: ["5.5", "6.5"],
  musts: ["WG1-02-5.5-10", "WG1-02-6.5-1", "WG1-02-6.5-4", "WG1-02-6.5-5"],
  async run(ctx: ScenarioContext) {
    const { token, client: found } = await suiteClient(ctx);
    let client = found;
    if (client.cds_status !== "disabled") {
      // Re-enabling is what a utility vets most; start from a disabled Client Object.
      const off = await ctx.request(String(client.cds_client_uri), { method: "PUT", bearer: token, body: { ...client, cds_status: "disabled" } });
      ctx.expectStatus(off, [200, 202], "5.5", `PUT cds_status=disabled on ${String(client.client_id)}`);
      if (off.status === 200) client = off.json as Json;
    }
    const options = (Array.isArray(client.cds_status_options) ? client.cds_status_options : []) as string[];
    const changes: Json = { client_name: "CDS conformance (review check)", contacts: ["cds-conformance@example.org"] };
    const enabled = options.find((o) => o !== "disabled" && o !== client.cds_status);
    if (enabled) changes.cds_status = enabled;

    const seen = idsOf(await allMessages(ctx, token));
    const res = await ctx.request(String(client.cds_client_uri), { method: "PUT", bearer: token, body: { ...client, ...changes } });
    ctx.expectStatus(res, [200, 202], "5.5", `PUT changing ${Object.keys(changes).join(", ")}`);
    if (res.status === 200) ctx.skip(`the Server applied ${Object.keys(changes).join(", ")} at once: no change awaited review`);
    ctx.conforms("Client", res.json, "5.5", "the 202 response");
    const answered = res.json as Json;
    const held = Object.keys(changes).filter((f) => !isDeepStrictEqual(answered[f], changes[f]));
    ctx.check(held.length > 0, "5.5", "a 202 answer shows every submitted change as already made");
    for (const field of held) ctx.check(isDeepStrictEqual(answered[field] ?? null, client[field] ?? null), "5.5", `${field} awaits review but the 202 response shows neither its previous nor its submitted value`);

    const items = (await newMessages(ctx, token, seen)).filter((m) => m.creator === null).flatMap((m) => (Array.isArray(m.updates_requested) ? m.updates_requested.filter(isObject) : []));
    for (const field of held) {
      const item = items.find((i) => i.field === field);
      ctx.check(item, "5.5", `${field} awaits review, but no new Message from the Server lists it`);
      ctx.check(typeof item.field === "string", "6.5", "a field-change item has no string `field`");
      ctx.check("previous_value" in item && isDeepStrictEqual(item.previous_value ?? null, client[field] ?? null), "6.5", `the review item for ${field} gives previous_value ${JSON.stringify(item.previous_value)}, not ${JSON.stringify(client[field] ?? null)}`);
      ctx.check("new_value" in item && isDeepStrictEqual(item.new_value, changes[field]), "6.5", `the review item for ${field} gives new_value ${JSON.stringify(item.new_value)}, not ${JSON.stringify(changes[field])}`);
    }
  },
};
