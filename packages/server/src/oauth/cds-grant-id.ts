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
import type { AuthorizationDetail } from "@cds-toolkit/types";
import { grantMismatch } from "../cds/grant-authorization.js";
import { findGrantRowById } from "../cds/grants.js";
import type { Db } from "../db/index.js";

/** The authorization details of a request, parsed (oidc-provider has checked the JSON before extra parameters). */
export function requestedDetails(raw: unknown): AuthorizationDetail[] {
  if (typeof raw !== "string") return [];
  const parsed = JSON.parse(raw) as unknown;
  return Array.isArray(parsed) ? (parsed as AuthorizationDetail[]) : [];
}

/** `extraParams.cds_grant_id` for the provider configuration. */
export function cdsGrantIdValidator(db: Db) {
  return async (ctx: KoaContextWithOIDC, value: string | undefined, client?: { clientId: string }): Promise<void> => {
    if (value === undefined) return;
    const params = ctx.oidc.params ?? {};
    const grant = await findGrantRowById(db, value);
    const reason = client
      ? grantMismatch(grant, client.clientId, { scope: String(params.scope ?? ""), authorizationDetails: requestedDetails(params.authorization_details) })
      : "no client";
    if (reason) throw new errors.CustomOIDCProviderError("cds_grant_id_invalid_value", reason);
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
