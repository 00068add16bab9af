/**
 * The Grant Admin rule (CDS-WG1-02 §3.3.2): a Client Object holding a Grant
 * Admin scope may get a token for one Grant, named in a single
 * `authorization_details` entry whose `type` is that Grant Admin scope. The
 * same rule decides at the token endpoint and again on every API request, so
 * a Grant closed, disabled or reduced after the token was issued stops
 * giving access at once.
 */
import type { GrantStatus } from "@cds-toolkit/types";
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { grants, oauthClients } from "../db/schema.js";
import { grantAdminScopeOf, isScopeOfType } from "./scopes.js";

/** One Grant Admin authorization details entry (§3.3.2: exactly these fields). */
export interface GrantAdminDetail {
  type: string;
  client_id: string;
  grant_id: string;
}

export type GrantAdminGrant = typeof grants.$inferSelect;

/** Why a Grant Admin request is refused, in words fit for `error_description` (no data of other registrations). */
export class GrantAdminRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GrantAdminRefusal";
  }
}

/** Statuses in which a Grant gives no access at all (§8.2). */
const noAccess: readonly GrantStatus[] = ["future", "disabled", "suspended", "revoked", "closed", "expired"];

export function isGrantAdminScope(scope: string): boolean {
  return isScopeOfType(scope, "cds_grant_admin");
}

/** The authenticated Client Object, as far as the rule needs it. */
export interface GrantAdminRequester {
  registrationId: string | null;
  scopes: readonly string[];
}

/** The requester, or null when it is unknown or disabled (its tokens then give nothing). */
export async function loadGrantAdminRequester(db: Db, clientId: string): Promise<GrantAdminRequester | null> {
  const [client] = await db
    .select({ registrationId: oauthClients.registrationId, metadata: oauthClients.metadata, status: oauthClients.status })
    .from(oauthClients)
    .where(eq(oauthClients.clientId, clientId));
  if (!client || client.status === "disabled") return null;
  return { registrationId: client.registrationId, scopes: String(client.metadata.scope ?? "").split(" ") };
}

/**
 * Checks that `requester` (the authenticated Client Object) may act on the
 * Grant `detail` names, and answers the Grant. The details' `client_id` must be
 * a Client Object of the requester's own registration (§11.2: one
 * registration never reaches another's objects); every scope the Grant enables
 * must name this Grant Admin scope as its `grant_admin_scope`.
 */
export async function authorizeGrantAdmin(db: Db, requester: GrantAdminRequester | null, detail: GrantAdminDetail): Promise<GrantAdminGrant> {
  if (!requester?.registrationId || !requester.scopes.includes(detail.type)) {
    throw new GrantAdminRefusal(`this Client Object does not hold the Grant Admin scope ${detail.type}`);
  }
  const [row] = await db
    .select({ grant: grants })
    .from(grants)
    .innerJoin(oauthClients, eq(oauthClients.clientId, grants.clientId))
    .where(and(eq(grants.id, detail.grant_id), eq(oauthClients.registrationId, requester.registrationId)));
  // An unknown Grant and another registration's Grant read the same.
  if (!row) throw new GrantAdminRefusal("grant_id does not name a Grant of this registration");
  const { grant } = row;
  if (grant.clientId !== detail.client_id) throw new GrantAdminRefusal("client_id is not the Grant's client_id");
  const enabled = grant.enabledScope.split(" ").filter(Boolean);
  if (enabled.length === 0 || noAccess.includes(grant.status)) throw new GrantAdminRefusal(`the Grant gives no access (status ${grant.status})`);
  const foreign = enabled.filter((scope) => grantAdminScopeOf(scope) !== detail.type);
  if (foreign.length) throw new GrantAdminRefusal(`the Grant enables scopes not administered by ${detail.type}: ${foreign.join(", ")}`);
  return grant;
}
