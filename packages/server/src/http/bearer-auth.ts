/**
 * Bearer authentication of the CDS-WG1-02 APIs (RFC 6750 §2.1): the
 * management APIs (§5–§8) take a `client_credentials` token with the
 * `cds_client_admin` scope, of a Client Object with that scope; Grant data
 * APIs (§9) take a Grant Admin token (§3.3.2).
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { authorizeGrantAdmin, GrantAdminRefusal, isGrantAdminScope, type GrantAdminDetail, type GrantAdminGrant } from "../cds/grant-admin.js";
import { CLIENT_ADMIN_SCOPE } from "../cds/scopes.js";
import { authenticateBearer, bearerChallenge as challenge, type BearerLookup, type BearerToken } from "../oauth/bearer-token.js";
import { refusal, WindowCounter } from "./rate-limit.js";

export interface ClientAdmin {
  /** The registration whose objects the token may see and change. */
  registrationId: string;
  /** The Client Object the token was issued to. */
  clientId: string;
}

/** A Grant Admin token's authority: the Grants it was issued for, checked again for this request. */
export interface GrantAdmin {
  registrationId: string;
  clientId: string;
  grants: GrantAdminGrant[];
}

declare module "fastify" {
  interface FastifyRequest {
    clientAdmin?: ClientAdmin;
    grantAdmin?: GrantAdmin;
  }
}

/** A Client Object's live client_credentials token (oauth/bearer-token.ts); null after answering 401. */
function authenticateToken(lookup: BearerLookup, request: FastifyRequest, reply: FastifyReply, needed: string): Promise<BearerToken | null> {
  return authenticateBearer(lookup, request, reply, needed, ["ClientCredentials"]);
}

/** Counts the request against the Credential that obtained the token (recorded by the adapter); older tokens count per Client Object. In memory: no database work. */
function countRequest(counter: WindowCounter, auth: BearerToken, perMinute: number): void {
  const { current, ttl } = counter.increment(`credential:${auth.credentialId ?? `client:${auth.clientId}`}`);
  if (current > perMinute) throw refusal(Math.max(1, Math.ceil(ttl / 1000)));
}

/**
 * `perMinute`: requests per minute and Credential (CDS-WG1-02 §11.3), on top
 * of the per-address limit, so one Client cannot crowd out the others.
 * `counter`: the per-Credential counts, in memory (http/rate-limit.ts); pass
 * the same one to both guards so a Credential has one budget.
 */
export function clientAdminAuth(lookup: BearerLookup, perMinute: number, counter = new WindowCounter()) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const auth = await authenticateToken(lookup, request, reply, "with the cds_client_admin scope");
    if (!auth) return;
    const scopes = auth.scopes;
    // The token's scope and its Client Object's: a Client Object that lost cds_client_admin keeps no admin access.
    if (!scopes.includes(CLIENT_ADMIN_SCOPE) || !auth.client.scopes.includes(CLIENT_ADMIN_SCOPE) || !auth.client.registrationId) {
      await challenge(reply, 403, "insufficient_scope", "This API needs a token with the cds_client_admin scope.");
      return;
    }
    request.clientAdmin = { registrationId: auth.client.registrationId, clientId: auth.clientId };
    countRequest(counter, auth, perMinute);
  };
}

/**
 * Grant Admin tokens (CDS-WG1-02 §3.3.2), for APIs that serve a Grant's
 * data, such as the Server-Provided Files API (§9). The Grant rule is applied
 * again on every request: a Grant closed or reduced since the token was
 * issued gives no access through it.
 */
export function grantAdminAuth(lookup: BearerLookup, perMinute: number, counter = new WindowCounter()) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const auth = await authenticateToken(lookup, request, reply, "from a Grant Admin scope");
    if (!auth) return;
    const entries = (auth.rar as GrantAdminDetail[]).filter((d) => isGrantAdminScope(d.type));
    if (entries.length === 0 || !auth.client.registrationId) {
      await challenge(reply, 403, "insufficient_scope", "This API needs a Grant Admin token naming a Grant in its authorization_details.");
      return;
    }
    const grants: GrantAdminGrant[] = [];
    for (const entry of entries) {
      try {
        // The Client Object authenticateToken loaded (enabled, with its current scopes): no second lookup.
        grants.push(await authorizeGrantAdmin(lookup.db, auth.client, entry));
      } catch (error) {
        if (!(error instanceof GrantAdminRefusal)) throw error;
        await challenge(reply, 401, "invalid_token", "The Grant this token was issued for no longer gives access.");
        return;
      }
    }
    request.grantAdmin = { registrationId: auth.client.registrationId, clientId: auth.clientId, grants };
    countRequest(counter, auth, perMinute);
  };
}
