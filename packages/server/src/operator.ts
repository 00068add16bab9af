/**
 * The Server's side of CDS-WG1-02, for the people who run it: the §6
 * requests waiting for an answer and resolving them (applying what they ask
 * when approved), files shared through Grants (§9), Grants waiting for a
 * customer's authorization (§8.3), and the customers who sign in to give it.
 * There is no HTTP route for this: it is a library API, behind whatever back
 * office a deployment puts in front of it.
 */
import type { Grant, Message } from "@cds-toolkit/types";
import { createGrantNeedingAuthorization, type AuthorizationNeeded } from "./cds/grant-authorization.js";
import { findGrantRowById, toGrant } from "./cds/grants.js";
import { addServerProvidedFile, shareServerProvidedFiles, type FileShare, type NewServerProvidedFile } from "./cds/server-provided-files.js";
import { findMessageRow, toMessage } from "./cds/messages.js";
import { listPendingRequests, resolveRequest, type ResolveRequestInput } from "./cds/reviews.js";
import { addCustomer, type Customer, type NewCustomer } from "./customers/index.js";
import type { Db } from "./db/index.js";
import type { PublicUrls } from "./urls.js";

export interface PendingRequest {
  /** The registration (CDS-WG1-02 §4) whose Client asked. */
  registrationId: string;
  message: Message;
}

export interface ResolvedRequest {
  /** The request with its final status; `errored` when an approved change could no longer be made. */
  request: Message;
  /** The `request_update` reply the Client now sees unread. */
  update: Message;
}

export interface ServerOperator {
  /** Pending `field_changes`, `production_request`, `grant_request` and `support_request` Messages, oldest first (at most `limit`: 100 by default, 1000 at most). */
  pendingRequests(options?: { registrationId?: string; limit?: number }): Promise<PendingRequest[]>;
  /**
   * Answers a pending request (CDS-WG1-02 §6.3, §6.9): `complete` applies
   * what it asks, `rejected` (with a `description` saying why) or `errored`
   * leave everything as it is. Throws `RequestResolutionError`, with nothing
   * changed, when the request cannot take that answer.
   */
  resolveRequest(input: ResolveRequestInput): Promise<ResolvedRequest>;
  /** Stores a file to share (CDS-WG1-02 §9); answers its `file_id`. */
  addServerProvidedFile(file: NewServerProvidedFile): Promise<string>;
  /** Shares stored files with a Client Object holding a Server-Provided Files scope: an active Grant listing each `file_id` (§3.3.3). */
  shareServerProvidedFiles(share: FileShare): Promise<Grant>;
  /** A Grant that `needs_authorization` (§8.2); the Client asks the customer with `cds_grant_id` (§8.3). */
  requestAuthorization(grant: AuthorizationNeeded): Promise<Grant>;
  /**
   * Adds a customer who can sign in on the login page; answers the customer
   * without the password. Throws `CustomerInputError`, naming the field and
   * the rule, for invalid input or a username or account id already taken.
   */
  addCustomer(customer: NewCustomer): Promise<Customer>;
}

export function createOperator(db: Db, urls: PublicUrls): ServerOperator {
  return {
    async pendingRequests(options = {}) {
      const rows = await listPendingRequests(db, options);
      return rows.map((row) => ({ registrationId: row.registrationId, message: toMessage(row, urls) }));
    },
    async resolveRequest(input) {
      const { registrationId, requestId, updateId } = await resolveRequest(db, urls, input);
      const shown = async (id: string) => toMessage((await findMessageRow(db, registrationId, id))!, urls);
      return { request: await shown(requestId), update: await shown(updateId) };
    },
    addServerProvidedFile: (file) => addServerProvidedFile(db, file),
    async shareServerProvidedFiles(share) {
      return toGrant((await findGrantRowById(db, await shareServerProvidedFiles(db, share)))!, urls);
    },
    async requestAuthorization(grant) {
      return toGrant((await findGrantRowById(db, await createGrantNeedingAuthorization(db, grant)))!, urls);
    },
    addCustomer: (customer) => addCustomer(db, customer),
  };
}
