/**
 * Grants made by customer authorization (CDS-WG1-02 §8.3): every approved
 * authorization request is a Grant. A request naming a Grant that
 * `needs_authorization` (`cds_grant_id`) completes that Grant; any other
 * request makes a new one. The Grant records the oidc-provider grant its
 * tokens come from, so closing the Grant can end them (grants.ts).
 */
import { randomBytes } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import type { AuthorizationDetail } from "@cds-toolkit/types";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { grants } from "../db/schema.js";
import { deleteOidcGrant } from "./grants.js";
import { canonicalJson as canonical } from "./canonical-json.js";
import type { AuthorizationNeeded, RequestedAccess } from "./access-request.js";

export type { AuthorizationNeeded, RequestedAccess };

export type GrantRecord = typeof grants.$inferSelect;

/** Grant ids: 128 random bits, so one Grant's id reveals no other. */
export const newGrantId = () => randomBytes(16).toString("hex");

const scopeSet = (scope: string) => [...new Set(scope.split(" ").filter(Boolean))].sort();


const detailSet = (details: readonly AuthorizationDetail[]) => details.map(canonical).sort();

/**
 * Why `cds_grant_id` cannot be used with this request, or null when it can
 * (§8.3 `cds_grant_id_invalid_value`). The Grant must belong to the
 * requesting Client Object, wait for a user authorization, and the request
 * must ask for exactly what the Grant lists (spec/ERRATA.md E-WG1-02-34).
 */
export function grantMismatch(grant: GrantRecord | null, clientId: string, requested: RequestedAccess): string | null {
  if (!grant || grant.clientId !== clientId) return "cds_grant_id does not name a Grant of this client";
  if (grant.status !== "needs_authorization") return `the Grant does not need a user authorization (status ${grant.status})`;
  if (!isDeepStrictEqual(scopeSet(grant.scope), scopeSet(requested.scope))) return "scope must be the Grant's scope";
  if (!isDeepStrictEqual(detailSet(grant.authorizationDetails), detailSet(requested.authorizationDetails))) {
    return "authorization_details must be the Grant's authorization_details";
  }
  return null;
}

/** §8.3 `cds_grant_id_invalid_user`: a Grant meant for one customer cannot be authorized by another. */
export function isGrantForCustomer(grant: GrantRecord, accountId: string): boolean {
  return grant.accountId === null || grant.accountId === accountId;
}


export interface Authorization extends RequestedAccess {
  clientId: string;
  accountId: string;
  oidcGrantId: string;
  /** The Grant named by `cds_grant_id`, already checked against this request. */
  cdsGrantId?: string;
}

/**
 * Records an approved authorization at once (§8.3: not at the token request):
 * the named Grant becomes `active` with everything it lists enabled, or a new
 * active Grant is made. Returns the Grant's id, or null when the named Grant
 * no longer waits for an authorization: the request was checked earlier
 * (`grantMismatch`), and in between the Grant may have been closed, revoked
 * or authorized by another approval. The status is read again under a row
 * lock, so a Grant that ended never becomes active again.
 */
export async function recordAuthorization(db: Db, a: Authorization): Promise<string | null> {
  const access = {
    status: "active" as const,
    scope: a.scope,
    enabledScope: a.scope,
    authorizationDetails: a.authorizationDetails,
    enabledAuthorizationDetails: a.authorizationDetails,
    accountId: a.accountId,
    oidcGrantId: a.oidcGrantId,
    eta: null,
  };
  if (a.cdsGrantId) {
    const cdsGrantId = a.cdsGrantId;
    return db.transaction(async (tx) => {
      const [previous] = await tx.select({ status: grants.status, oidcGrantId: grants.oidcGrantId }).from(grants).where(eq(grants.id, cdsGrantId)).for("update");
      if (previous?.status !== "needs_authorization") return null;
      await tx
        .update(grants)
        .set({ ...access, modifiedAt: sql`now()` })
        .where(eq(grants.id, cdsGrantId));
      // A Grant re-authorized after an addition (§8.6) gets new tokens with the code; the earlier ones end here.
      if (previous.oidcGrantId && previous.oidcGrantId !== a.oidcGrantId) await deleteOidcGrant(tx as unknown as Db, previous.oidcGrantId);
      return cdsGrantId;
    });
  }
  const id = newGrantId();
  await db.insert(grants).values({ id, clientId: a.clientId, ...access });
  return id;
}


/**
 * A Server-made Grant waiting for a customer's authorization (§8.2
 * `needs_authorization`): the Client asks the customer with `cds_grant_id`.
 */
export async function createGrantNeedingAuthorization(db: Db, g: AuthorizationNeeded): Promise<string> {
  const id = newGrantId();
  await db.insert(grants).values({
    id,
    clientId: g.clientId,
    status: "needs_authorization",
    scope: g.scope,
    enabledScope: "",
    authorizationDetails: g.authorizationDetails,
    enabledAuthorizationDetails: [],
    accountId: g.accountId ?? null,
  });
  return id;
}
