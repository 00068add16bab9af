/**
 * CDS-WG1-02 §9 Server-Provided Files: stored in `server_provided_files`,
 * shared through Server-made Grants of a `cds_server_provided_files` scope
 * whose authorization details name each `file_id` (§3.3.3), and reached with
 * Grant Admin tokens for those Grants (§3.3.2).
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { AuthorizationDetail, ServerProvidedFile } from "@cds-toolkit/types";
import { eq, getTableColumns, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { grants, oauthClients, serverProvidedFiles } from "../db/schema.js";
import type { Cursor } from "../server-metadata/cursor.js";
import type { PublicUrls } from "../urls.js";
import type { GrantAdminGrant } from "./grant-admin.js";
import { keysetPage, type KeysetPage } from "./keyset-page.js";
import { isScopeOfType } from "./scopes.js";
import type { FileShare, NewServerProvidedFile } from "./file-share.js";

export type { FileShare, NewServerProvidedFile };

const FILES_TYPE = "cds_server_provided_files";

/** A file's metadata: everything but the bytes, which only the download reads. */
const { content: _content, ...metadataColumns } = getTableColumns(serverProvidedFiles);
export type FileRow = Omit<typeof serverProvidedFiles.$inferSelect, "content"> & { size: number };

export function fileUri(urls: PublicUrls, fileId: string): string {
  return `${urls.serverProvidedFilesApi}/${encodeURIComponent(fileId)}`;
}

export function toServerProvidedFile(row: FileRow, urls: PublicUrls): ServerProvidedFile {
  const uri = fileUri(urls, row.id);
  return {
    file_id: row.id,
    uri,
    created: row.createdAt.toISOString(),
    modified: row.modifiedAt.toISOString(),
    mime_type: row.mimeType,
    size: row.size,
    name: row.name,
    description: row.description,
    download_uri: `${uri}/download`,
  };
}

/**
 * The `file_id`s the Grants share now: entries of their enabled
 * authorization details whose `type` is an enabled Server-Provided Files
 * scope (§3.3.3: such an entry stands for the scope).
 */
export function sharedFileIds(grantRows: readonly GrantAdminGrant[]): string[] {
  const ids = new Set<string>();
  for (const grant of grantRows) {
    const enabled = new Set(grant.enabledScope.split(" ").filter((s) => isScopeOfType(s, FILES_TYPE)));
    for (const detail of grant.enabledAuthorizationDetails) {
      if (enabled.has(detail.type) && typeof detail.file_id === "string") ids.add(detail.file_id);
    }
  }
  return [...ids];
}

const selectFiles = (db: Db) => db.select({ ...metadataColumns, size: sql<number>`octet_length(${serverProvidedFiles.content})`.mapWith(Number) }).from(serverProvidedFiles);

export interface FileListQuery {
  /** What the token may see (sharedFileIds). */
  visible: readonly string[];
  fileIds?: readonly string[];
  pageSize: number;
  cursor?: Cursor;
}

export async function listFileRows(db: Db, q: FileListQuery): Promise<KeysetPage<FileRow>> {
  const wanted = q.fileIds ? q.visible.filter((id) => q.fileIds!.includes(id)) : q.visible;
  // An empty IN list is invalid SQL; nothing visible is an empty page.
  if (wanted.length === 0) return { rows: [], next: null, previous: null };
  return keysetPage<FileRow>({
    columns: { modified: serverProvidedFiles.modifiedAt, id: serverProvidedFiles.id },
    filter: inArray(serverProvidedFiles.id, [...wanted]),
    pageSize: q.pageSize,
    cursor: q.cursor,
    select: (where, orderBy, limit) =>
      selectFiles(db)
        .where(where)
        .orderBy(...orderBy)
        .limit(limit),
    positionOf: (row) => ({ modified: row.modifiedAt, id: row.id }),
  });
}

export async function findFileRow(db: Db, visible: readonly string[], fileId: string): Promise<FileRow | null> {
  if (!visible.includes(fileId)) return null;
  const [row] = await selectFiles(db).where(eq(serverProvidedFiles.id, fileId));
  return row ?? null;
}

/** The bytes of a file the token may see, with what the download headers need, in one read. */
export async function readVisibleFile(db: Db, visible: readonly string[], fileId: string): Promise<{ name: string; mimeType: string; content: Uint8Array } | null> {
  if (!visible.includes(fileId)) return null;
  const { name, mimeType, content } = serverProvidedFiles;
  const [row] = await db.select({ name, mimeType, content }).from(serverProvidedFiles).where(eq(serverProvidedFiles.id, fileId));
  return row ?? null;
}

/** Stores a file the Server wants to share (the operator's side of §9). */
export async function addServerProvidedFile(db: Db, file: NewServerProvidedFile): Promise<string> {
  const id = file.id ?? randomBytes(8).toString("hex");
  await db.insert(serverProvidedFiles).values({ id, name: file.name, mimeType: file.mimeType, description: file.description ?? "", content: file.content });
  return id;
}

/**
 * Shares files with a Client: a Server-made, active Grant of the
 * Server-Provided Files scope listing each `file_id` (§3.3.3). Refuses a
 * Client Object without that scope and files that do not exist.
 */
export async function shareServerProvidedFiles(db: Db, share: FileShare): Promise<string> {
  if (!isScopeOfType(share.scope, FILES_TYPE)) throw new Error(`${share.scope} is not a Server-Provided Files scope`);
  const [client] = await db.select({ metadata: oauthClients.metadata }).from(oauthClients).where(eq(oauthClients.clientId, share.clientId));
  if (!client || !String(client.metadata.scope ?? "").split(" ").includes(share.scope)) {
    throw new Error(`Client Object ${share.clientId} does not hold the ${share.scope} scope`);
  }
  const existing = share.fileIds.length
    ? await db.select({ id: serverProvidedFiles.id }).from(serverProvidedFiles).where(inArray(serverProvidedFiles.id, [...share.fileIds]))
    : [];
  const missing = share.fileIds.filter((id) => !existing.some((e) => e.id === id));
  if (share.fileIds.length === 0 || missing.length) throw new Error(`no such Server-Provided File: ${missing.join(", ") || "(none listed)"}`);
  const details: AuthorizationDetail[] = share.fileIds.map((fileId) => ({ type: share.scope, file_id: fileId }));
  const id = share.grantId ?? randomUUID();
  await db.insert(grants).values({
    id,
    clientId: share.clientId,
    status: "active",
    scope: share.scope,
    enabledScope: share.scope,
    authorizationDetails: details,
    enabledAuthorizationDetails: details,
  });
  return id;
}

