/**
 * A code exchange that fails with `invalid_grant` (wrong PKCE verifier, a
 * redirect_uri mismatch, another client's code) uses the code up. oidc-provider
 * checks PKCE before it consumes the code, so without this a client (or an
 * attacker holding a stolen code) could try verifiers until one matched;
 * RFC 7636 §4.6 and RFC 9700 §2.1.1 mean the code to be bound to one
 * verifier, and RFC 6749 §4.1.2 to be used once. A later exchange of the same
 * code is then a replay, which oidc-provider answers by revoking the grant's
 * tokens (RFC 6749 §4.1.2). ERRATA E-WG1-02-52.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { KoaContextWithOIDC } from "oidc-provider";
import type { Db } from "../db/index.js";
import { oidcArtifacts } from "../db/schema.js";
import { readForm } from "./request-form.js";

export function consumeCodeOnFailedExchange(db: Db, tokenPath: string) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> => {
    const form = ctx.method === "POST" && ctx.path === tokenPath ? readForm(ctx.req) : undefined;
    await next();
    const code = form?.get("code");
    if (!code || form?.get("grant_type") !== "authorization_code") return;
    if (ctx.status === 400 && (ctx.body as { error?: unknown } | undefined)?.error === "invalid_grant") {
      const t = oidcArtifacts;
      await db
        .update(t)
        .set({ consumedAt: new Date() })
        .where(and(eq(t.model, "AuthorizationCode"), eq(t.id, code), isNull(t.consumedAt)));
    }
  };
}
