/**
 * Grant Admin access tokens (CDS-WG1-02 §3.3.2) on oidc-provider's documented
 * hooks: the RAR type validates each entry's shape, `getResourceServerInfo`
 * refuses a Grant Admin scope requested without its entry (the one hook that
 * sees such requests), and `authorizationDetailsForAccessToken` applies the
 * Grant rule (cds/grant-admin.ts) before the token is saved, then stores the
 * entry on the token so the token response and introspection echo it.
 */
import { errors, type KoaContextWithOIDC } from "oidc-provider";
import type { Db } from "../db/index.js";
import { authorizeGrantAdmin, GrantAdminRefusal, isGrantAdminScope, loadGrantAdminRequester, type GrantAdminDetail } from "../cds/grant-admin.js";
import { GRANT_ADMIN_SCOPE } from "../cds/scopes.js";
import type { AuthorizationDetail } from "./consent-details.js";

/** `client_id` and `grant_id`, strings of 1 to 1000 characters (§3.3.2's Authorization Details Fields); nothing else. */
function validateGrantAdminDetail(_ctx: unknown, detail: AuthorizationDetail): void {
  for (const field of ["client_id", "grant_id"] as const) {
    const value = detail[field];
    if (typeof value !== "string" || value.length < 1 || value.length > 1000) {
      throw new errors.InvalidAuthorizationDetails(`'${field}' is required in a ${detail.type} entry: a string of 1 to 1000 characters (CDS-WG1-02 §3.3.2)`);
    }
  }
  const extra = Object.keys(detail).filter((key) => !["type", "client_id", "grant_id"].includes(key));
  if (extra.length) throw new errors.InvalidAuthorizationDetails(`unsupported field '${extra[0]}' in a ${detail.type} entry`);
}

/** `features.richAuthorizationRequests.types` entries: one per Grant Admin scope this server describes. */
export const grantAdminDetailTypes = {
  [GRANT_ADMIN_SCOPE]: { validate: validateGrantAdminDetail },
};

const requestedScopes = (ctx: KoaContextWithOIDC) => String(ctx.oidc.params?.scope ?? "").split(" ").filter(Boolean);

/**
 * For `getResourceServerInfo`: a client_credentials request naming a Grant
 * Admin scope without any authorization details entry has no Grant to act on.
 */
export function refuseGrantAdminWithoutDetails(ctx: KoaContextWithOIDC): void {
  if (ctx.oidc.params?.grant_type !== "client_credentials" || ctx.oidc.params.authorization_details !== undefined) return;
  const scope = requestedScopes(ctx).find(isGrantAdminScope);
  if (scope) {
    throw new errors.InvalidAuthorizationDetails(`the ${scope} scope needs one authorization_details entry of type ${scope} naming the Grant (CDS-WG1-02 §3.3.2)`);
  }
}

/**
 * The details a client_credentials token carries. A request with a Grant
 * Admin entry must have exactly that one entry (§3.3.2), for a Grant the rule
 * allows; the entry then stands for the Grant Admin scope, so the scope
 * parameter may name it or leave it out. Other client_credentials details are
 * refused: no other client_credentials scope here takes any.
 */
export async function grantAdminDetailsForToken(db: Db, ctx: KoaContextWithOIDC): Promise<AuthorizationDetail[]> {
  const raw = ctx.oidc.params?.authorization_details;
  const details = typeof raw === "string" ? (JSON.parse(raw) as AuthorizationDetail[]) : [];
  const adminEntries = details.filter((d) => isGrantAdminScope(d.type));
  if (adminEntries.length === 0) {
    throw new errors.InvalidAuthorizationDetails("client_credentials tokens take authorization_details only for a Grant Admin scope (CDS-WG1-02 §3.3.2)");
  }
  if (details.length !== 1) throw new errors.InvalidAuthorizationDetails("a Grant Admin request takes exactly one authorization_details entry (CDS-WG1-02 §3.3.2)");
  const detail = details[0] as unknown as GrantAdminDetail;
  const otherScopes = requestedScopes(ctx).filter((s) => s !== detail.type);
  if (otherScopes.length) {
    throw new errors.InvalidScope(`a Grant Admin token carries no other scope (CDS-WG1-02 §3.3.2)`, otherScopes.join(" "));
  }
  try {
    await authorizeGrantAdmin(db, await loadGrantAdminRequester(db, ctx.oidc.client!.clientId), detail);
  } catch (error) {
    if (error instanceof GrantAdminRefusal) throw new errors.InvalidAuthorizationDetails(`${error.message} (CDS-WG1-02 §3.3.2)`);
    throw error;
  }
  return [{ type: detail.type, client_id: detail.client_id, grant_id: detail.grant_id }];
}
