/**
 * The operator's API (CDS-WG1-02 §6, §8, §9), apart from the database: the public `@cds-toolkit/server` types
 * name these, so they must not reach drizzle's or oidc-provider's types
 * (tools/checks/consumer-install.test.ts).
 */
import type { Grant, Message } from "@cds-toolkit/types";
import type { AuthorizationNeeded } from "./cds/access-request.js";
import type { FileShare, NewServerProvidedFile } from "./cds/file-share.js";
import type { ResolveRequestInput } from "./cds/request-resolution.js";
import type { Customer, NewCustomer } from "./customers/customer.js";

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
