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
import type { PendingRequest, ResolvedRequest, ServerOperator } from "./operator-api.js";

export type { PendingRequest, ResolvedRequest, ServerOperator };

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
