/** CDS-WG1-02 §5–§7: the Clients, Messages and Credentials APIs a Client admin uses. */
import type { ScenarioContext } from "../../context.js";
import { isObject, type Json } from "../../context.js";
import { describe } from "../../http.js";
import type { Scenario } from "../../scenario.js";
import { range } from "../musts-ids.js";
import { checkIdFilter, checkNewestFirst, listAll, secondBefore } from "./listing.js";

const spec = "CDS-WG1-02" as const;

export const clientsApi: Scenario = {
  id: "wg1-02/clients-api",
  spec,
  title: "Clients API: strictly valid Client Objects, newest first, `client_ids` filter exact, each at its URI",
  sections: ["5.1", "5.2", "5.3", "5.4"],
  musts: [...range("WG1-02-5.1-", 1, 12), "WG1-02-5.1-14", "WG1-02-5.1-15", "WG1-02-5.1-16", "WG1-02-5.1-18", "WG1-02-5.2-1", ...range("WG1-02-5.3-", 1, 4), "WG1-02-5.4-1", "WG1-02-4.2-11", "WG1-02-4.2-16"],
  async run(ctx: ScenarioContext) {
    const token = await ctx.adminToken();
    const api = await ctx.endpoint("cds_clients_api");
    const clients = await listAll(ctx, api, token, "clients", "5.3", "ClientListing");
    ctx.check(clients.length > 0, "5.3", "the Clients API lists no Client Object, not even the requesting one");
    checkNewestFirst(ctx, clients, "cds_modified", "client_id", "5.3");
    const uris = clients.map((c) => String(c.cds_client_uri));
    ctx.check(new Set(uris).size === uris.length, "5.1", "two Client Objects share a cds_client_uri");
    for (const c of clients) {
      const opts = Array.isArray(c.cds_status_options) ? c.cds_status_options : [];
      ctx.check(c.client_secret === undefined && c.client_secret_expires_at === undefined, "5.1", `Client ${String(c.client_id)} shows a client_secret or client_secret_expires_at outside the registration response`);
      const admin = c.scope === "cds_client_admin";
      ctx.check(admin ? !opts.includes("disabled") : opts.includes("disabled"), "5.1", admin ? `the Client admin ${String(c.client_id)} can be disabled` : `Client ${String(c.client_id)} cannot be disabled`);
      if (typeof c.cds_server_metadata === "string") {
        const open = await ctx.request(c.cds_server_metadata);
        const authed = await ctx.request(c.cds_server_metadata, { bearer: token });
        ctx.check(authed.status === 200, "5.1", `Client ${String(c.client_id)}'s cds_server_metadata answers ${describe(authed)} to a cds_client_admin token`);
        ctx.check(open.status === 200 || open.status === 401, "5.1", `Client ${String(c.client_id)}'s cds_server_metadata answers ${describe(open)} without a token`);
      }
      ctx.check(!(opts.includes("production") && opts.includes("sandbox")), "4.2", `Client ${String(c.client_id)} offers both production and sandbox`);
      if (Array.isArray(c.response_types) && c.response_types.length > 0) {
        ctx.check(c.cds_default_scope !== undefined && c.cds_default_redirect_uri !== undefined && c.cds_default_authorization_details !== undefined, "5.1", `interactive Client ${String(c.client_id)} lacks a cds_default_* field`);
      }
      const one = await ctx.request(String(c.cds_client_uri), { bearer: token });
      ctx.expectStatus(one, 200, "5.4", `GET the cds_client_uri of ${String(c.client_id)}`);
      ctx.check(isObject(one.json) && one.json.client_id === c.client_id, "5.4", `the cds_client_uri of ${String(c.client_id)} answers another Client`);
    }
    await checkIdFilter(ctx, api, token, "clients", "client_ids", "client_id", [String(clients[0]!.client_id)], "5.3");
  },
};

export const clientModification: Scenario = {
  id: "wg1-02/client-modification",
  spec,
  title: "Client Object updates: a modifiable field changes (200/202), a Server-set field is refused with 400",
  sections: ["5.5"],
  musts: ["WG1-02-5.5-1", "WG1-02-5.5-2", "WG1-02-5.5-4", "WG1-02-5.5-5", "WG1-02-5.5-8", "WG1-02-5.5-9", "WG1-02-5.5-11"],
  async run(ctx: ScenarioContext) {
    // A registration of the suite's own, so the Client admin under test keeps its name.
    const fresh = await ctx.ownRegistration();
    const token = await ctx.clientToken(fresh);
    const [mine] = await listAll(ctx, await ctx.endpoint("cds_clients_api"), token, "clients", "5.3");
    ctx.check(mine, "5.3", "a new registration's Clients API lists nothing");
    const uri = String(mine.cds_client_uri);
    const renamed = await ctx.request(uri, { method: "PUT", bearer: token, body: { ...mine, client_name: "CDS conformance (renamed)" } });
    ctx.expectStatus(renamed, [200, 202], "5.5", "PUT with a new client_name");
    ctx.conforms("Client", renamed.json, "5.5", "the updated Client Object");
    const body = renamed.json as Json;
    if (renamed.status === 200) ctx.check(body.client_name === "CDS conformance (renamed)", "5.5", "a 200 update left client_name unchanged");
    else ctx.check(body.client_name === mine.client_name, "5.5", "a 202 update shows the reviewed value before review");
    for (const [field, value] of [["client_id_issued_at", 1], ["grant_types", ["authorization_code"]], ["cds_created", "2000-01-01T00:00:00Z"]] as const) {
      if (mine[field] === undefined) continue;
      const res = await ctx.request(uri, { method: "PUT", bearer: token, body: { ...(renamed.status === 200 ? body : mine), [field]: value } });
      ctx.expectStatus(res, 400, "5.5", `PUT changing the Server-set field ${field}`);
    }
  },
};

export const messagesApi: Scenario = {
  id: "wg1-02/messages-api",
  spec,
  title: "Messages API: a private message is created (201), fetched, marked read, filtered; bad input gets 400",
  sections: ["6.1", "6.8", "6.9", "6.10", "6.11"],
  musts: [...range("WG1-02-6.1-", 1, 12, [6]), "WG1-02-6.1-16", "WG1-02-6.2-1", "WG1-02-6.3-1", "WG1-02-6.3-2", "WG1-02-6.4-1", "WG1-02-6.7-1", "WG1-02-6.7-2", "WG1-02-6.7-4", ...range("WG1-02-6.8-", 1, 5), "WG1-02-6.8-8", "WG1-02-6.9-13", ...range("WG1-02-6.9-", 15, 18), "WG1-02-6.10-1", ...range("WG1-02-6.11-", 1, 3), "WG1-02-6.11-8", "WG1-02-6.11-9", "WG1-02-6.11-10"],
  async run(ctx: ScenarioContext) {
    const token = await ctx.adminToken();
    const api = await ctx.endpoint("cds_messages_api");
    const created = await ctx.request(api, { bearer: token, body: { type: "private_message", name: "Conformance check", description: "Sent by the CDS conformance suite." } });
    ctx.expectStatus(created, 201, "6.9", "POST a private_message");
    ctx.conforms("Message", created.json, "6.9", "the created Message");
    const message = created.json as Json;
    ctx.check(message.status === "complete", "6.9", `a new private_message has status ${String(message.status)}, not complete`);
    // Attachments come back as sent (§6.7).
    const attached = await ctx.request(api, { bearer: token, body: { type: "private_message", name: "With attachment", description: "An attachment check.", attachments: [{ filename: "note.txt", mime_type: "text/plain", data: Buffer.from("hello").toString("base64") }] } });
    ctx.expectStatus(attached, 201, "6.9", "POST a private_message with an attachment");
    ctx.conforms("Message", attached.json, "6.7", "the Message with an attachment");
    const attachment = ((attached.json as Json).attachments as Json[] | undefined)?.[0];
    ctx.check(attachment?.filename === "note.txt" && attachment.mime_type === "text/plain" && attachment.data === Buffer.from("hello").toString("base64"), "6.7", "the attachment did not come back as sent");
    const support = await ctx.request(api, { bearer: token, body: { type: "support_request", name: "Conformance support request", description: "Sent by the CDS conformance suite; no action needed." } });
    ctx.expectStatus(support, 201, "6.9", "POST a support_request");
    ctx.check((support.json as Json).status === "pending", "6.9", `a new support_request has status ${String((support.json as Json).status)}, not pending`);
    const ignored = await ctx.request(String(message.uri), { method: "PATCH", bearer: token, body: { read: true, message_id: "cds-conformance-other", created: "2000-01-01T00:00:00Z" } });
    ctx.expectStatus(ignored, 200, "6.11", "PATCH read with fields a Client may not change (they are to be ignored)");
    ctx.check(isObject(ignored.json) && ignored.json.message_id === message.message_id && ignored.json.created === message.created, "6.11", "PATCH changed message_id or created");
    const fetched = await ctx.request(String(message.uri), { bearer: token });
    ctx.expectStatus(fetched, 200, "6.10", "GET the Message's uri");
    ctx.check(isObject(fetched.json) && fetched.json.message_id === message.message_id, "6.10", "the Message's uri answers another Message");
    const read = await ctx.request(String(message.uri), { method: "PATCH", bearer: token, body: { read: true } });
    ctx.expectStatus(read, 200, "6.11", "PATCH read=true");
    ctx.check(isObject(read.json) && read.json.read === true && read.json.name === message.name, "6.11", "PATCH read=true did not mark it read, or changed other fields");
    const unread = await ctx.request(String(message.uri), { method: "PATCH", bearer: token, body: { read: false } });
    ctx.check(unread.status === 200 && isObject(unread.json) && unread.json.read === false, "6.11", `PATCH read=false answered ${describe(unread)}`);
    const invalid = await ctx.request(String(message.uri), { method: "PATCH", bearer: token, body: { read: "yes" } });
    ctx.expectStatus(invalid, 400, "6.11", "PATCH with read=\"yes\"");
    const incomplete = await ctx.request(api, { bearer: token, body: { type: "private_message" } });
    ctx.expectStatus(incomplete, 400, "6.9", "POST a Message without name and description");
    const listing = await ctx.request(api, { bearer: token });
    ctx.expectStatus(listing, 200, "6.8", "GET the Messages API");
    ctx.conforms("MessageListing", listing.json, "6.8", "the Messages listing");
    const filtered = new URL(api);
    filtered.searchParams.set("message_ids", String(message.message_id));
    const f = await ctx.request(filtered, { bearer: token });
    const lists = isObject(f.json) ? [f.json.outstanding, f.json.unread, f.json.read].flatMap((l) => (Array.isArray(l) ? l.filter(isObject) : [])) : [];
    ctx.check(lists.length === 1 && lists[0]!.message_id === message.message_id, "6.8", `message_ids=${String(message.message_id)} listed ${lists.length} Messages, not exactly that one`);
    for (const list of ["outstanding", "unread", "read"]) {
      const items = ((listing.json as Json)[list] as Json[]) ?? [];
      checkNewestFirst(ctx, items, "modified", "message_id", "6.8");
      for (const m of items) if (m.related_uri !== undefined && m.related_uri !== null) ctx.check(typeof m.related_type === "string", "6.1", `Message ${String(m.message_id)} has a related_uri without related_type`);
    }
  },
};

export const credentialsApi: Scenario = {
  id: "wg1-02/credentials-api",
  spec,
  title: "Credentials API: a new secret works at once; expiring it now stops it and its tokens",
  sections: ["7.1", "7.3", "7.4", "7.5", "7.6"],
  musts: [...range("WG1-02-7.1-", 1, 7), "WG1-02-7.1-9", "WG1-02-7.2-1", "WG1-02-7.3-1", "WG1-02-7.3-2", "WG1-02-7.3-3", "WG1-02-7.3-4", "WG1-02-7.3-5", "WG1-02-7.3-6", "WG1-02-7.3-7", "WG1-02-7.4-1", "WG1-02-7.5-2", "WG1-02-7.5-3", ...range("WG1-02-7.6-", 1, 9)],
  async run(ctx: ScenarioContext) {
    const fresh = await ctx.ownRegistration();
    const token = await ctx.clientToken(fresh);
    const api = await ctx.endpoint("cds_credentials_api");
    const before = await listAll(ctx, api, token, "credentials", "7.3", "CredentialListing");
    ctx.check(before.some((c) => c.client_id === fresh.clientId), "7.3", "the new registration's own Credential is not listed");
    const created = await ctx.request(api, { bearer: token, body: { client_id: fresh.clientId } });
    ctx.expectStatus(created, 201, "7.5", "POST a Credential for the Client admin");
    ctx.conforms("Credential", created.json, "7.5", "the created Credential");
    const credential = created.json as Json;
    ctx.check(typeof credential.client_secret === "string", "7.1", "a client_secret Credential has no client_secret");
    const second = { clientId: fresh.clientId, clientSecret: String(credential.client_secret) };
    const secondToken = await ctx.clientToken(second);
    const one = await ctx.request(String(credential.uri), { bearer: token });
    ctx.check(one.status === 200 && isObject(one.json) && one.json.credential_id === credential.credential_id, "7.4", `GET the Credential's uri answered ${describe(one)}`);
    await checkIdFilter(ctx, api, token, "credentials", "credential_ids", "credential_id", [String(credential.credential_id)], "7.3");
    const mine = await listAll(ctx, `${api}${api.includes("?") ? "&" : "?"}client_ids=${encodeURIComponent(fresh.clientId)}`, token, "credentials", "7.3");
    ctx.check(mine.length >= 2 && mine.every((c) => c.client_id === fresh.clientId), "7.3", "client_ids did not list exactly the Client's Credentials");
    checkNewestFirst(ctx, await listAll(ctx, api, token, "credentials", "7.3"), "modified", "credential_id", "7.3");
    // A Server may leave the secret out after creation (ERRATA E-WG1-02-20); shown, it must be the same one.
    ctx.check(isObject(one.json) && (one.json.client_secret === undefined || one.json.client_secret === credential.client_secret), "7.6", "the Credential's client_secret changed after creation");
    const createdAt = Date.parse(String(credential.created));
    const bound = secondBefore(createdAt);
    const after = await listAll(ctx, `${api}${api.includes("?") ? "&" : "?"}after=${encodeURIComponent(bound.iso)}`, token, "credentials", "7.3");
    ctx.check(after.some((c) => c.credential_id === credential.credential_id) && after.every((c) => Date.parse(String(c.created)) >= bound.ms), "7.3", "the after filter did not keep exactly the Credentials created since");
    const beforeList = await listAll(ctx, `${api}${api.includes("?") ? "&" : "?"}before=${encodeURIComponent(bound.iso)}`, token, "credentials", "7.3");
    ctx.check(!beforeList.some((c) => c.credential_id === credential.credential_id) && beforeList.every((c) => Date.parse(String(c.created)) <= bound.ms), "7.3", "the before filter kept a Credential created later");
    const past = await ctx.request(String(credential.uri), { method: "PATCH", bearer: token, body: { client_secret_expires_at: Math.floor(Date.now() / 1000) - 3600 } });
    ctx.expectStatus(past, 400, "7.6", "PATCH client_secret_expires_at an hour in the past");
    const later = await ctx.request(String(credential.uri), { method: "PATCH", bearer: token, body: { client_secret_expires_at: Math.floor(Date.now() / 1000) + 86_400, client_id: "cds-conformance-other", created: "2000-01-01T00:00:00Z" } });
    ctx.expectStatus(later, 200, "7.6", "PATCH a never-expiring secret to expire tomorrow, with fields a Client may not change");
    const laterBody = later.json as Json;
    ctx.check(laterBody.client_id === credential.client_id && laterBody.created === credential.created && laterBody.type === credential.type, "7.6", "PATCH changed client_id, created or type");
    const invalid = await ctx.request(String(credential.uri), { method: "PATCH", bearer: token, body: { client_secret_expires_at: "soon" } });
    ctx.expectStatus(invalid, 400, "7.6", "PATCH client_secret_expires_at=\"soon\"");
    const expire = await ctx.request(String(credential.uri), { method: "PATCH", bearer: token, body: { client_secret_expires_at: Math.floor(Date.now() / 1000) } });
    ctx.expectStatus(expire, 200, "7.6", "PATCH client_secret_expires_at=now");
    const refused = await ctx.tokenRequest(second, { grant_type: "client_credentials", scope: "cds_client_admin" });
    ctx.expectStatus(refused, 401, "7.6", "a token request with the secret just expired");
    const stale = await ctx.request(api, { bearer: secondToken });
    ctx.expectStatus(stale, 401, "7.6", "the Credentials API called with a token obtained through the expired secret");
    const missing = await ctx.request(api, { bearer: token, body: {} });
    ctx.expectStatus(missing, 400, "7.5", "POST a Credential without client_id");
  },
};
