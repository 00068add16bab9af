/**
 * Scopes of an authorization request, checked before the customer signs in
 * (CDS-WG3-01 §9.1.1: "whether the Client can use the Scope"), at the
 * authorization endpoint and at the PAR endpoint alike.
 *
 * oidc-provider refuses a known scope the Client Object was not given, but
 * passes over a scope it does not know, as OpenID Connect asks of it: a pushed
 * request for `cds_usage_1 made_up` was accepted and `made_up` dropped on the
 * way, so the Client never heard its request was not what it asked for. Here
 * such a scope is `invalid_scope` (RFC 6749 §4.1.2.1, RFC 9126 §2.3), named
 * in `error_description`.
 */
import { errors, type KoaContextWithOIDC } from "oidc-provider";

/**
 * oidc-provider's InvalidScope without the extra `scope` member (lib/helpers/err_out.js leaves it out
 * when undefined); @types/oidc-provider makes that argument required.
 */
const InvalidScope = errors.InvalidScope as unknown as new (description: string) => Error;

/**
 * `extraParams.scope` for the provider configuration. oidc-provider runs
 * extra-parameter validators, in their order, after its own checks (client,
 * redirect URI, response type, scope allow-list, PKCE, authorization details)
 * and for pushed requests too, so this one also runs before the
 * `cds_grant_id` validator, as CDS-WG1-02 §8.3 orders.
 */
export function describedScopesOnly(supported: readonly string[]) {
  return async (_ctx: KoaContextWithOIDC, value: string | undefined): Promise<void> => refuseUndescribedScopes(value, supported);
}

/**
 * Throws `invalid_scope` naming every scope of `value` (a `scope` parameter)
 * that `supported` lacks. Also used for `client_credentials` token requests
 * (provider.ts `getResourceServerInfo`), where oidc-provider would otherwise
 * issue the token for the known scopes alone.
 */
export function refuseUndescribedScopes(value: unknown, supported: readonly string[]): void {
  if (typeof value !== "string") return;
  const values = value.split(" ").filter(Boolean);
  const unknown = [...new Set(values.filter((s) => !supported.includes(s)))];
  if (unknown.length) {
    // No `scope` member: the error body keeps to RFC 6749 §5.2's three (the contract's OAuthError).
    const named = unknown.map((s) => nameOf(s, values));
    throw new InvalidScope(`scope: ${named.join(", ")} ${unknown.length > 1 ? "are not scopes" : "is not a scope"} this Server offers (scopes_supported in its metadata)`);
  }
}

/**
 * A scope value as the error names it. Every scope name has the shape of
 * CDS's own (lower-case letters, digits, underscores), so one of that shape is
 * echoed for the developer; anything else (a secret or token pasted into the
 * wrong parameter, say) is named by its position only, so an error body never
 * repeats a credential (as `cds/grants.ts` does for refused Grant scopes).
 */
function nameOf(scope: string, values: readonly string[]): string {
  if (/^[a-z][a-z0-9_]{0,63}$/.test(scope)) return scope;
  return `value ${values.indexOf(scope) + 1}`;
}

/**
 * oidc-provider names a scope the Client Object may not use in an extra
 * `scope` member of its JSON error body, which RFC 6749 §5.2 does not define
 * and the contract's strict OAuthError refuses; this middleware (for
 * `provider.use`) moves the name into `error_description` at `paths`.
 */
export function scopeNamedInDescription(paths: readonly string[]) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> => {
    await next();
    if (!paths.includes(ctx.path)) return;
    const body = ctx.body as { error?: unknown; error_description?: unknown; scope?: unknown } | undefined;
    if (!body || typeof body !== "object" || Buffer.isBuffer(body) || body.error !== "invalid_scope" || typeof body.scope !== "string") return;
    const { scope, ...rest } = body;
    ctx.body = { ...rest, error_description: `scope: ${scope}: ${String(rest.error_description ?? "not allowed")}` };
  };
}
