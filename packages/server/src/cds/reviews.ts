/**
 * The Server's answers to requests (CDS-WG1-02 §6.2, §6.3, §6.9): an
 * operator resolves a pending `field_changes`, `production_request`,
 * `grant_request` or `support_request` Message. The change it approves, the
 * original's new status and the `request_update` reply are written in one
 * transaction (spec/ERRATA.md E-WG1-02-22).
 */
import { randomUUID } from "node:crypto";
import type { ClientMessageRelatedType, ClientMessageType, ClientStatus } from "@cds-toolkit/types";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { messages, oauthClients } from "../db/schema.js";
import { loadServerMetadata } from "../server-metadata/index.js";
import type { PublicUrls } from "../urls.js";
import { lockClientRow, type ClientRow } from "./client-objects.js";
import { applyHeldChanges, fieldList } from "./field-changes.js";
import { findGrantRow } from "./grants.js";
import { addChangelogMessage, type MessageRow } from "./messages.js";
import { scopeDescriptions } from "./scopes.js";
import { RequestResolutionError, resolutionsByType, type RequestResolution, type ResolutionRule, type ResolveRequestInput } from "./request-resolution.js";

export { RequestResolutionError, resolutionsByType, type RequestResolution, type ResolutionRule, type ResolveRequestInput };

const resolvableTypes = Object.keys(resolutionsByType) as ClientMessageType[];

/** How a reply names what it answers. */
const requestLabels: Partial<Record<ClientMessageType, string>> = {
  field_changes: "Field changes",
  production_request: "Production request",
  grant_request: "Grant request",
  support_request: "Support request",
};

export interface Resolved {
  registrationId: string;
  requestId: string;
  updateId: string;
}

interface Outcome {
  status: RequestResolution;
  description: string;
  /** What the request links to once resolved, when that changes (§6.3 for completed production and grant requests). */
  related?: { uri: string; type: ClientMessageRelatedType };
}

export async function resolveRequest(db: Db, urls: PublicUrls, input: ResolveRequestInput): Promise<Resolved> {
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    // Locked: two operators (or instances) resolving at once must not both succeed.
    const [original] = await tx.select().from(messages).where(eq(messages.id, input.messageId)).for("update");
    if (!original) throw new RequestResolutionError("unknown-message", `No Message has the id ${input.messageId}.`);
    checkResolution(original, input);
    const outcome = await carryOut(tx, urls, original, input);
    return writeResolution(tx, original, outcome);
  });
}

/** The requests waiting for the Server, oldest first: what an operator works through (1 to 1000 at a time). */
export async function listPendingRequests(db: Db, options: { registrationId?: string; limit?: number } = {}): Promise<MessageRow[]> {
  return db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.status, "pending"),
        inArray(messages.type, resolvableTypes),
        options.registrationId === undefined ? undefined : eq(messages.registrationId, options.registrationId),
      ),
    )
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(Math.min(Math.max(Math.trunc(options.limit ?? 100), 1), 1000));
}

function checkResolution(original: MessageRow, input: ResolveRequestInput): void {
  const allowed = resolutionsByType[original.type];
  if (!allowed) {
    throw new RequestResolutionError(
      "not-a-request",
      `A ${original.type} Message is not a request the Server resolves; only ${resolvableTypes.join(", ")} Messages are (CDS-WG1-02 §6.2, §6.9).`,
    );
  }
  if (original.status !== "pending") {
    throw new RequestResolutionError("already-resolved", `Message ${original.id} is already ${original.status}; only pending requests are resolved (CDS-WG1-02 §6.3).`);
  }
  if (!allowed.includes(input.status)) {
    throw new RequestResolutionError("status-not-allowed", `A ${original.type} may be resolved as ${allowed.join(" or ")}, not ${input.status} (CDS-WG1-02 §6.3).`);
  }
  if (input.status === "rejected" && !input.description?.trim()) {
    throw new RequestResolutionError("description-required", "A rejection must say why in its description (CDS-WG1-02 §6.3).");
  }
}

async function carryOut(tx: Db, urls: PublicUrls, original: MessageRow, input: ResolveRequestInput): Promise<Outcome> {
  const given = input.description?.trim() || undefined;
  if (input.status !== "complete") {
    return { status: input.status, description: given ?? "The Server could not process this request." };
  }
  switch (original.type) {
    case "field_changes":
      return approveFieldChanges(tx, urls, original, given);
    case "production_request":
      return approveProduction(tx, urls, original, given);
    case "grant_request":
      return approveGrants(tx, urls, original, input.grantIds ?? [], given);
    default:
      return { status: "complete", description: given ?? "Resolved." };
  }
}

async function approveFieldChanges(tx: Db, urls: PublicUrls, original: MessageRow, given: string | undefined): Promise<Outcome> {
  const changes = original.updatesRequested ?? [];
  const row = original.relatedUri ? await lockClientAt(tx, urls, original.registrationId, original.relatedUri) : null;
  // The approval stands, but the change could not be made: §6.3's `errored`, with the reason.
  if (!row) return { status: "errored", description: "The Client Object these changes were for no longer exists." };
  const metadata = await loadServerMetadata(tx, urls);
  if (!metadata) return { status: "errored", description: "The Server has no metadata document to check the changes against." };
  const applied = await applyHeldChanges(tx, row, changes, scopeDescriptions(metadata.documentation), urls);
  if (!applied.applied) return { status: "errored", description: applied.reason };
  return { status: "complete", description: given ?? `Applied: ${fieldList(changes)}.` };
}

/**
 * §6.9 asks for an equivalent Client Object with `production` among its
 * status options; the linked one becomes it, keeping its Credentials, whose
 * secrets a new Client Object could not deliver (spec/ERRATA.md E-WG1-02-23).
 */
async function approveProduction(tx: Db, urls: PublicUrls, original: MessageRow, given: string | undefined): Promise<Outcome> {
  const row = original.relatedUri ? await lockClientAt(tx, urls, original.registrationId, original.relatedUri) : null;
  if (!row) throw new RequestResolutionError("unknown-client", `The Client Object this production_request links to no longer exists; reject the request instead.`);
  if (!row.statusOptions.includes("production")) {
    await tx
      .update(oauthClients)
      .set({ statusOptions: withProduction(row.statusOptions), modifiedAt: sql`now()` })
      .where(eq(oauthClients.clientId, row.clientId));
    // §5.3: the Server changed the Client Object after registration.
    await addChangelogMessage(tx, original.registrationId, {
      name: `Client Object ${row.clientId} modified`,
      description: `Client Object ${row.clientId} was modified: production was added to its cds_status_options.`,
      relatedUri: original.relatedUri!,
      relatedType: "client",
    });
  }
  return {
    status: "complete",
    description: given ?? `Client Object ${row.clientId} may now be switched to production: production is among its cds_status_options.`,
    related: { uri: original.relatedUri!, type: "client" },
  };
}

const statusOrder: readonly ClientStatus[] = ["production", "sandbox", "disabled"];

function withProduction(options: readonly ClientStatus[]): ClientStatus[] {
  return statusOrder.filter((s) => s === "production" || options.includes(s));
}

/** §6.3: a completed grant_request links to the Grants listing filtered to its Grants. */
async function approveGrants(tx: Db, urls: PublicUrls, original: MessageRow, grantIds: readonly string[], given: string | undefined): Promise<Outcome> {
  const ids = [...new Set(grantIds)];
  if (!ids.length) {
    throw new RequestResolutionError("grants-required", "A grant_request is complete only once its Grants exist (CDS-WG1-02 §6.9): name them in grantIds, or reject the request.");
  }
  const target = original.relatedUri ? clientIdAt(urls, original.relatedUri) : null;
  for (const id of ids) {
    const grant = await findGrantRow(tx, original.registrationId, id);
    if (!grant) throw new RequestResolutionError("unknown-grant", `Grant ${id} is not one of this registration's Grants.`);
    if (target && grant.clientId !== target) {
      throw new RequestResolutionError("grant-for-another-client", `Grant ${id} is for Client Object ${grant.clientId}, not ${target}, which the request names (CDS-WG1-02 §6.9).`);
    }
  }
  return {
    status: "complete",
    description: given ?? `Grants made for this request: ${ids.join(", ")}.`,
    related: { uri: `${urls.grantsApi}?${new URLSearchParams({ grant_ids: ids.join(" ") }).toString()}`, type: "grant_list" },
  };
}

/**
 * The original takes the final status (so it leaves the outstanding listing,
 * §6.8) and the reply carries the same status, linked by `previous_uri`
 * (§6.2: Clients read the latest reply's status as the request's).
 */
async function writeResolution(tx: Db, original: MessageRow, outcome: Outcome): Promise<Resolved> {
  const at = new Date();
  const related = outcome.related ?? (original.relatedUri ? { uri: original.relatedUri, type: original.relatedType! } : null);
  await tx
    .update(messages)
    .set({ status: outcome.status, modifiedAt: at, ...(outcome.related ? { relatedUri: outcome.related.uri, relatedType: outcome.related.type } : {}) })
    .where(eq(messages.id, original.id));
  const updateId = randomUUID();
  await tx.insert(messages).values({
    id: updateId,
    registrationId: original.registrationId,
    createdAt: at,
    modifiedAt: at,
    previousId: original.id,
    type: "request_update",
    // §6.1: a Message the Server writes starts unread.
    read: false,
    creator: null,
    status: outcome.status,
    name: `${requestLabels[original.type]} ${outcome.status}: ${original.name}`,
    description: outcome.description,
    relatedUri: related?.uri ?? null,
    relatedType: related?.type ?? null,
  });
  return { registrationId: original.registrationId, requestId: original.id, updateId };
}

function clientIdAt(urls: PublicUrls, uri: string): string | null {
  const prefix = `${urls.clientsApi}/`;
  return uri.startsWith(prefix) ? decodeURIComponent(uri.slice(prefix.length)) : null;
}

/** The registration's Client Object at `uri`, locked until the transaction ends. */
async function lockClientAt(tx: Db, urls: PublicUrls, registrationId: string, uri: string): Promise<ClientRow | null> {
  const clientId = clientIdAt(urls, uri);
  return clientId ? lockClientRow(tx, registrationId, clientId) : null;
}
