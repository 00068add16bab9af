/**
 * The `cds_grant_id` authorization request parameter (CDS-WG1-02 §8.3): a
 * Client asks the customer to authorize an existing Grant. oidc-provider
 * parses it from the query and from pushed requests (`extraParams`), rejects
 * it when sent twice (with any values, before this runs), turns an empty value
 * into "absent", and calls the validator below after checking every other
 * parameter, as §8.3 orders. An error thrown here is redirected to the
 * client's (already verified) redirect_uri, or answered as JSON at the PAR
 * endpoint.
 */
import { errors, type KoaContextWithOIDC } from "oidc-provider";
import type { Db } from "../db/index.js";

/**
 * Whether `grantId` names a Grant that `clientId` may ask a customer to
 * authorize (one in `needs_authorization`). The Grants table arrives with the
 * CDS Grants API; until then no Grant exists, so every non-empty
 * `cds_grant_id` is invalid. Replace this body with the Grants lookup.
 */
export async function isAuthorizableGrant(_db: Db, _grantId: string, _clientId: string): Promise<boolean> {
  return false;
}

/** `extraParams.cds_grant_id` for the provider configuration. */
export function cdsGrantIdValidator(db: Db) {
  return async (_ctx: KoaContextWithOIDC, value: string | undefined, client?: { clientId: string }): Promise<void> => {
    if (value === undefined) return;
    if (!client || !(await isAuthorizableGrant(db, value, client.clientId))) {
      throw new errors.CustomOIDCProviderError("cds_grant_id_invalid_value", "cds_grant_id does not name a Grant this client may request authorization for");
    }
  };
}

/**
 * §8.3: empty `cds_grant_id` values count as absent, so `cds_grant_id=&cds_grant_id=g1`
 * carries one value. oidc-provider rejects any repeated parameter before the
 * validator runs; this middleware (for `provider.use`) drops the empty copies
 * from authorization-endpoint query strings first. Pushed requests are
 * form bodies that oidc-provider reads itself: there a repeat is still rejected.
 */
export function dropEmptyCdsGrantIds(authorizationPath: string) {
  return async (ctx: { method: string; path: string; querystring: string }, next: () => Promise<unknown>): Promise<void> => {
    if (ctx.method === "GET" && ctx.path === authorizationPath) {
      const query = new URLSearchParams(ctx.querystring);
      const values = query.getAll("cds_grant_id");
      if (values.length > 1 && values.includes("")) {
        query.delete("cds_grant_id");
        for (const value of values.filter(Boolean)) query.append("cds_grant_id", value);
        ctx.querystring = query.toString();
      }
    }
    await next();
  };
}
