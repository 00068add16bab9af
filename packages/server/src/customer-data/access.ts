/**
 * Who may read what through a Customer Data API, decided again on every
 * request. Direct Access (CDS-WG3-01 §6.2): a client_credentials token whose
 * scope opens the listing, and the Client's active Grants of that scope
 * (CDS-WG1-02 §8, made by the Server for the Client): each Grant names the
 * customer it is for, and its enabled authorization details' preselections
 * (§7.1) narrow what it shows. A Client without such a Grant gets 403, so
 * registering a direct access scope alone opens no one's data, and closing a
 * Grant takes effect at the next request, for tokens already issued too.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { and, eq } from "drizzle-orm";
import type Provider from "oidc-provider";
import type { Db } from "../db/index.js";
import { grants, oauthClients } from "../db/schema.js";
import { problem, PROBLEM_CONTENT_TYPE } from "../http/problem.js";

export interface ListingAccess {
  clientId: string;
  /** The customers the Client's live Grants of the scope are for. */
  owners: string[];
  /** Preselected values (§7.1), by listing filter name, from those Grants; each narrows like a filter. */
  preselections: Record<string, string[]>;
}

function challenge(reply: FastifyReply, status: 401 | 403, error: string | null, detail: string) {
  const header = error ? `Bearer error="${error}", error_description="${detail}"` : "Bearer";
  return reply.code(status).header("www-authenticate", header).header("cache-control", "no-store").type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem(status, detail)));
}

/** §7.1 preselection fields and the listing filters they narrow. */
const preselectionFilters = ["account_numbers", "contract_numbers", "servicepoint_numbers", "meter_numbers", "aggregation_numbers"] as const;

/** The access of the request's token to a listing opened by `scope`; null after answering 401/403. */
export async function listingAccess(provider: Provider, db: Db, request: FastifyRequest, reply: FastifyReply, scope: string): Promise<ListingAccess | null> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header) : null;
  if (!match) {
    await challenge(reply, 401, header ? "invalid_request" : null, `A Bearer access token with the ${scope} scope is required.`);
    return null;
  }
  const token = await provider.ClientCredentials.find(match[1]!);
  if (!token || token.isExpired) {
    await challenge(reply, 401, "invalid_token", "The access token is not valid.");
    return null;
  }
  const [client] = await db.select({ status: oauthClients.status }).from(oauthClients).where(eq(oauthClients.clientId, token.clientId!));
  if (!client || client.status === "disabled") {
    await challenge(reply, 401, "invalid_token", "The access token is not valid.");
    return null;
  }
  if (!String(token.scope ?? "").split(" ").includes(scope)) {
    await challenge(reply, 403, "insufficient_scope", `This API needs a token with the ${scope} scope.`);
    return null;
  }
  const live = (await db.select().from(grants).where(and(eq(grants.clientId, token.clientId!), eq(grants.status, "active")))).filter(
    (g) => g.enabledScope.split(" ").includes(scope) && g.accountId !== null && (!g.notAfter || g.notAfter.getTime() > Date.now()) && (!g.notBefore || g.notBefore.getTime() <= Date.now()),
  );
  if (!live.length) {
    // Nothing to show, and saying so plainly: a closed or expired Grant ends access at once (CDS-WG1-02 §8).
    await challenge(reply, 403, "insufficient_scope", `The Client holds no active Grant of the ${scope} scope.`);
    return null;
  }
  const preselections: Record<string, string[]> = {};
  for (const g of live) {
    for (const detail of g.enabledAuthorizationDetails as Record<string, unknown>[]) {
      if (detail.type !== scope) continue;
      for (const name of preselectionFilters) {
        const values = detail[name];
        if (Array.isArray(values)) preselections[name] = [...(preselections[name] ?? []), ...values.filter((v): v is string => typeof v === "string")];
      }
    }
  }
  return { clientId: token.clientId!, owners: [...new Set(live.map((g) => g.accountId!))], preselections };
}
