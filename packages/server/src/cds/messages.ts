/**
 * CDS-WG1-02 §6 Messages: one registration's Messages, written by the Client
 * (§6.9) or by the Server (the §5.3 and §7.3 changelog), read back as three
 * keyset-paged views: outstanding (`open`/`pending`), unread, read (§6.8).
 */
import { randomUUID } from "node:crypto";
import type { ClientMessageRelatedType, Message, MessageCreationRequest } from "@cds-toolkit/types";
import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { messages } from "../db/schema.js";
import { fieldError } from "../http/request-body.js";
import type { Cursor } from "../server-metadata/cursor.js";
import type { PublicUrls } from "../urls.js";
import { keysetPage, type KeysetPage } from "./keyset-page.js";

export type MessageRow = typeof messages.$inferSelect;
export type MessageView = "outstanding" | "unread" | "read";
export const messageViews: readonly MessageView[] = ["outstanding", "unread", "read"];

export function messageUri(urls: PublicUrls, messageId: string): string {
  return `${urls.messagesApi}/${encodeURIComponent(messageId)}`;
}

export function toMessage(row: MessageRow, urls: PublicUrls): Message {
  return {
    message_id: row.id,
    uri: messageUri(urls, row.id),
    previous_uri: row.previousId ? messageUri(urls, row.previousId) : null,
    type: row.type,
    read: row.read,
    creator: row.creator,
    created: row.createdAt.toISOString(),
    modified: row.modifiedAt.toISOString(),
    status: row.status,
    name: row.name,
    description: row.description,
    ...(row.updatesRequested ? { updates_requested: row.updatesRequested } : {}),
    ...(row.grantsRequested ? { grants_requested: row.grantsRequested } : {}),
    ...(row.attachments ? { attachments: row.attachments } : {}),
    ...(row.relatedUri ? { related_uri: row.relatedUri, related_type: row.relatedType! } : {}),
  };
}

export async function findMessageRow(db: Db, registrationId: string, messageId: string): Promise<MessageRow | null> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.registrationId, registrationId), eq(messages.id, messageId)));
  return row ?? null;
}

const viewFilter: Record<MessageView, SQL> = {
  outstanding: inArray(messages.status, ["open", "pending"]),
  unread: eq(messages.read, false),
  read: eq(messages.read, true),
};

export async function listMessageView(
  db: Db,
  q: { registrationId: string; view: MessageView; messageIds?: readonly string[]; pageSize: number; cursor?: Cursor },
): Promise<KeysetPage<MessageRow>> {
  return keysetPage<MessageRow>({
    columns: { modified: messages.modifiedAt, id: messages.id },
    filter: and(eq(messages.registrationId, q.registrationId), viewFilter[q.view], q.messageIds ? inArray(messages.id, [...q.messageIds]) : undefined),
    pageSize: q.pageSize,
    cursor: q.cursor,
    select: (where, orderBy, limit) =>
      db
        .select()
        .from(messages)
        .where(where)
        .orderBy(...orderBy)
        .limit(limit),
    positionOf: (row) => ({ modified: row.modifiedAt, id: row.id }),
  });
}

/** A Server-written changelog entry (§5.3, §7.3): unread, complete, linking to the changed object. */
export async function addChangelogMessage(
  db: Db,
  registrationId: string,
  entry: { name: string; description: string; relatedUri: string; relatedType: ClientMessageRelatedType },
): Promise<void> {
  await db.insert(messages).values({
    id: randomUUID(),
    registrationId,
    type: "private_message",
    read: false,
    creator: null,
    status: "complete",
    name: entry.name,
    description: entry.description,
    relatedUri: entry.relatedUri,
    relatedType: entry.relatedType,
  });
}

/** What a `related_uri` links to, read from which API it is under (the creation body names no `related_type`). */
function relatedTypeOf(uri: string, urls: PublicUrls): ClientMessageRelatedType {
  const under = (base: string) => uri.startsWith(`${base}/`);
  const list = (base: string) => uri === base || uri.startsWith(`${base}?`);
  if (under(urls.clientsApi)) return "client";
  if (list(urls.clientsApi)) return "client_list";
  if (under(urls.credentialsApi)) return "credential";
  if (list(urls.credentialsApi)) return "credential_list";
  if (under(urls.grantsApi)) return "grant";
  if (list(urls.grantsApi)) return "grant_list";
  if (under(urls.messagesApi)) return "message";
  if (list(urls.messagesApi)) return "message_list";
  return "more_info";
}

/** §6.9: status by type. */
const initialStatus = { private_message: "complete", client_submission: "complete", production_request: "pending", support_request: "pending", grant_request: "pending" } as const;

export interface CreationContext {
  registrationId: string;
  clientId: string;
  urls: PublicUrls;
  /** Whether a Client Object URL belongs to the registration and offers `sandbox` (production requests). */
  sandboxClientAt(uri: string): Promise<boolean>;
  /** Whether a Client Object URL belongs to the registration (grant requests). */
  clientAt(uri: string): Promise<boolean>;
  /** Whether a URL is one of this Server's object or listing URLs and, for an object, the registration's own (§6.9). */
  ownObjectAt(uri: string): Promise<boolean>;
}

/** Checks a Client's Message (§6.9, E-WG1-02-6) and stores it; answers its id. */
export async function createClientMessage(db: Db, body: MessageCreationRequest, ctx: CreationContext): Promise<string> {
  let previous: MessageRow | null = null;
  if (body.previous_uri) {
    const prefix = `${ctx.urls.messagesApi}/`;
    const id = body.previous_uri.startsWith(prefix) ? decodeURIComponent(body.previous_uri.slice(prefix.length)) : null;
    previous = id ? await findMessageRow(db, ctx.registrationId, id) : null;
    if (!previous) throw fieldError("/previous_uri", "exists", "previous_uri must be the uri of one of this registration's Messages");
  }
  if (body.type === "client_submission") {
    if (previous?.type !== "server_request") throw fieldError("/previous_uri", "server_request", "a client_submission answers a server_request Message");
    if (body.name !== "" || body.description !== "") throw fieldError(body.name !== "" ? "/name" : "/description", "const", "a client_submission has an empty name and description");
  }
  const related = body.related_uri ?? null;
  // §6.9: related_uri links to an object of this Server; another registration's object is as unknown as a made-up URL.
  if (related !== null && !(await ctx.ownObjectAt(related))) {
    throw fieldError("/related_uri", "own-object", "related_uri must be the URL of one of this registration's objects (Client, Credential, Grant, Message) or of their listings on this Server");
  }
  if (body.type === "production_request" && !(related && (await ctx.sandboxClientAt(related)))) {
    throw fieldError("/related_uri", "sandbox-client", "a production_request links to one of this registration's sandbox Client Objects");
  }
  if (body.type === "grant_request" && related && !(await ctx.clientAt(related))) {
    throw fieldError("/related_uri", "client", "a grant_request links to one of this registration's Client Objects");
  }
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.insert(messages).values({
      id,
      registrationId: ctx.registrationId,
      previousId: previous?.id ?? null,
      type: body.type,
      // §6.9: the Client wrote it, so it has read it.
      read: true,
      creator: ctx.clientId,
      status: initialStatus[body.type],
      name: body.name,
      description: body.description,
      updatesRequested: body.updates_requested ?? null,
      grantsRequested: body.grants_requested ?? null,
      attachments: body.attachments ?? null,
      relatedUri: related,
      relatedType: related ? relatedTypeOf(related, ctx.urls) : null,
    });
    // §6.9: answering an open server_request puts it under review.
    if (body.type === "client_submission" && previous?.status === "open") {
      await tx.update(messages).set({ status: "pending", modifiedAt: new Date() }).where(eq(messages.id, previous.id));
    }
  });
  return id;
}

export async function setMessageRead(db: Db, messageId: string, read: boolean): Promise<void> {
  await db.update(messages).set({ read, modifiedAt: new Date() }).where(eq(messages.id, messageId));
}
