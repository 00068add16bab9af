/**
 * Bearer authentication of the CDS-WG1-02 APIs (§5, §7, §8, §6; RFC 6750
 * §2.1): a `client_credentials` access token with the `cds_client_admin`
 * scope, of a Client Object with that scope. The token is looked up through
 * oidc-provider, so expiry, revocation and the Credential checks of the
 * adapter all apply.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { and, eq } from "drizzle-orm";
import type Provider from "oidc-provider";
import { CLIENT_ADMIN_SCOPE } from "../cds/scopes.js";
import type { Db } from "../db/index.js";
import { oauthClients, oidcArtifacts } from "../db/schema.js";
import { problem, PROBLEM_CONTENT_TYPE } from "./problem.js";
import { increment, RateLimitedError } from "./rate-limit.js";

export interface ClientAdmin {
  /** The registration whose objects the token may see and change. */
  registrationId: string;
  /** The Client Object the token was issued to. */
  clientId: string;
}

declare module "fastify" {
  interface FastifyRequest {
    clientAdmin?: ClientAdmin;
  }
}

/** RFC 6750 §3: the challenge, with an error code when a token was sent. */
function challenge(reply: FastifyReply, status: 401 | 403, error: string | null, detail: string) {
  const header = error ? `Bearer error="${error}", error_description="${detail}"` : "Bearer";
  return reply
    .code(status)
    .header("www-authenticate", header)
    .header("cache-control", "no-store")
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem(status, detail)));
}

/**
 * `perMinute`: requests per minute and Credential (CDS-WG1-02 §11.3), on top
 * of the per-address limit, so one Client cannot crowd out the others.
 */
export function clientAdminAuth(provider: Provider, db: Db, perMinute: number) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    // RFC 6750 §2.1 token68; the scheme name is case-insensitive (RFC 9110 §11.1).
    const match = header ? /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header) : null;
    if (!match) {
      await challenge(reply, 401, header ? "invalid_request" : null, "A Bearer access token with the cds_client_admin scope is required.");
      return;
    }
    const token = await provider.ClientCredentials.find(match[1]!);
    if (!token || token.isExpired) {
      await challenge(reply, 401, "invalid_token", "The access token is not valid.");
      return;
    }
    const scopes = String(token.scope ?? "").split(" ");
    const [client] = await db
      .select({ registrationId: oauthClients.registrationId, metadata: oauthClients.metadata, status: oauthClients.status })
      .from(oauthClients)
      .where(eq(oauthClients.clientId, token.clientId!));
    if (!client || client.status === "disabled") {
      await challenge(reply, 401, "invalid_token", "The access token is not valid.");
      return;
    }
    // The token's scope and its Client Object's: a Client Object that lost cds_client_admin keeps no admin access.
    const clientScopes = String(client.metadata.scope ?? "").split(" ");
    if (!scopes.includes(CLIENT_ADMIN_SCOPE) || !clientScopes.includes(CLIENT_ADMIN_SCOPE) || !client.registrationId) {
      await challenge(reply, 403, "insufficient_scope", "This API needs a token with the cds_client_admin scope.");
      return;
    }
    request.clientAdmin = { registrationId: client.registrationId, clientId: token.clientId! };
    // The Credential that obtained the token (recorded by the adapter); tokens from before that existed count per Client Object.
    const [artifact] = await db
      .select({ credentialId: oidcArtifacts.credentialId })
      .from(oidcArtifacts)
      .where(and(eq(oidcArtifacts.model, "ClientCredentials"), eq(oidcArtifacts.id, match[1]!)));
    const { current, ttl } = await increment(db, `credential:${artifact?.credentialId ?? `client:${token.clientId!}`}`, 60_000);
    if (current > perMinute) throw new RateLimitedError(Math.max(1, Math.ceil(ttl / 1000)));
  };
}
