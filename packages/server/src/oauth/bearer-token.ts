/**
 * The one place a Bearer access token (RFC 6750 §2.1) is read off a request
 * and looked up: the CDS-WG1-02 management and Grant data APIs
 * (http/bearer-auth.ts) and the CDS-WG3-01 Customer Data APIs
 * (customer-data/access.ts) both call it, so expiry, revocation, the
 * adapter's Credential checks and a disabled Client Object end access the
 * same way everywhere.
 *
 * Two kinds of token exist: `ClientCredentials` (RFC 6749 §4.4, Direct
 * Access and admin scopes) and `AccessToken` (issued through the
 * authorization-code flow, RFC 6749 §4.1: a customer's consent, CDS-WG3-01
 * §6.1). A caller names the kinds it accepts.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { eq } from "drizzle-orm";
import type Provider from "oidc-provider";
import type { Db } from "../db/index.js";
import { oauthClients } from "../db/schema.js";
import { problem, PROBLEM_CONTENT_TYPE } from "../http/problem.js";

export type BearerTokenKind = "ClientCredentials" | "AccessToken";

export interface BearerToken {
  /** The token as sent; never logged. */
  value: string;
  kind: BearerTokenKind;
  clientId: string;
  scopes: string[];
  /** The customer who authorized it (AccessToken only). */
  accountId: string | null;
  /** oidc-provider's grant the token belongs to (AccessToken only; the CDS Grant records it as `oidc_grant_id`). */
  oidcGrantId: string | null;
  /** RFC 9396 authorization details the token carries. */
  rar: unknown[];
  client: { registrationId: string | null; scopes: string[] };
}

/** RFC 6750 §3: the challenge, with an error code when a token was sent. */
export function bearerChallenge(reply: FastifyReply, status: 401 | 403, error: string | null, detail: string) {
  const header = error ? `Bearer error="${error}", error_description="${detail}"` : "Bearer";
  return reply
    .code(status)
    .header("www-authenticate", header)
    .header("cache-control", "no-store")
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem(status, detail)));
}

/**
 * The live token of one of `kinds` in the Authorization header, with its
 * enabled Client Object; null after answering 401. `needed` completes the
 * sentence "A Bearer access token … is required." of the bare challenge.
 */
export async function authenticateBearer(provider: Provider, db: Db, request: FastifyRequest, reply: FastifyReply, needed: string, kinds: readonly BearerTokenKind[]): Promise<BearerToken | null> {
  const header = request.headers.authorization;
  // RFC 6750 §2.1 token68; the scheme name is case-insensitive (RFC 9110 §11.1).
  const match = header ? /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header) : null;
  if (!match) {
    await bearerChallenge(reply, 401, header ? "invalid_request" : null, `A Bearer access token ${needed} is required.`);
    return null;
  }
  const value = match[1]!;
  let found: { kind: BearerTokenKind; token: InstanceType<Provider["ClientCredentials"]> | InstanceType<Provider["AccessToken"]> } | null = null;
  for (const kind of kinds) {
    const token = kind === "AccessToken" ? await provider.AccessToken.find(value) : await provider.ClientCredentials.find(value);
    if (token) {
      found = { kind, token };
      break;
    }
  }
  if (!found || found.token.isExpired || !found.token.clientId) {
    await bearerChallenge(reply, 401, "invalid_token", "The access token is not valid.");
    return null;
  }
  const { kind, token } = found;
  const [client] = await db
    .select({ registrationId: oauthClients.registrationId, metadata: oauthClients.metadata, status: oauthClients.status })
    .from(oauthClients)
    .where(eq(oauthClients.clientId, token.clientId!));
  if (!client || client.status === "disabled") {
    await bearerChallenge(reply, 401, "invalid_token", "The access token is not valid.");
    return null;
  }
  const access = kind === "AccessToken" ? (token as InstanceType<Provider["AccessToken"]>) : null;
  return {
    value,
    kind,
    clientId: token.clientId!,
    scopes: String(token.scope ?? "").split(" ").filter(Boolean),
    accountId: access?.accountId ?? null,
    oidcGrantId: access?.grantId ?? null,
    rar: ((token as { rar?: unknown[] }).rar ?? []) as unknown[],
    client: { registrationId: client.registrationId, scopes: String(client.metadata.scope ?? "").split(" ") },
  };
}
