/**
 * The customer's account pages (CDS-WG3-01 §9.4, §9.1.1): sign-in from a
 * receipt (so its owner sees the numbers it hides from everyone else), the
 * list of the customer's receipts, and sign-out. Registered inside the
 * interaction routes' scope, so the cross-site POST refusal and the form
 * parser apply; the sign-in form also carries a token bound to a cookie
 * (login CSRF), and failed attempts count against the same brute-force
 * limits as the authorization flow's sign-in (customers/login-guard.ts).
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import type { VNode } from "preact";
import { desc, eq, inArray } from "drizzle-orm";
import type { ServerContext } from "../../context.js";
import { authorizationReceipts, grants } from "../../db/schema.js";
import { findCustomerByAccountId } from "../../customers/index.js";
import { AccountReceipts } from "../../authorization-form/AccountReceipts.js";
import { AccountSignIn } from "../../authorization-form/AccountSignIn.js";
import type { Brand } from "../../authorization-form/brand.js";
import type { ReceiptContent } from "../../authorization-form/receipts.js";
import { cookieValue, newRevokeCookie, REVOKE_COOKIE, revokeCookieHeader, revokeToken, revokeTokenOk } from "../../authorization-form/revocation.js";
import { endAccountSession, signedInAccount, startAccountSession } from "./account-session.js";

export const accountPaths = {
  signIn: "/account/sign-in",
  receipts: "/account/receipts",
  signOut: "/account/sign-out",
} as const;

/** Where a sign-in may lead back to: this server's receipts only (no open redirect). */
export function safeReturn(value: unknown): string {
  if (typeof value === "string" && (/^\/authorization-receipts\/[0-9a-f]{32}$/.test(value) || value === accountPaths.receipts)) return value;
  return accountPaths.receipts;
}

export interface AccountDeps {
  ctx: ServerContext;
  csrfKey: string;
  secure: boolean;
  send: (reply: FastifyReply, status: number, page: (nonce: string, brand: Brand) => VNode) => Promise<unknown>;
  invalid: (reply: FastifyReply, status: number, reason: string) => Promise<unknown>;
}

const FORM_ID = "account-sign-in";

export function registerAccountRoutes(scope: FastifyInstance, { ctx, csrfKey, secure, send, invalid }: AccountDeps): void {
  const { provider, db } = ctx;
  const issuer = ctx.urls.issuer;
  const formToken = (reply: FastifyReply, cookieHeader: string | undefined) => {
    let cookie = cookieValue(cookieHeader, REVOKE_COOKIE);
    if (!cookie || !/^[\w-]{24}$/.test(cookie)) {
      cookie = newRevokeCookie();
      reply.header("set-cookie", revokeCookieHeader(cookie, "/account", secure));
    }
    return revokeToken(csrfKey, FORM_ID, cookie);
  };

  scope.get<{ Querystring: Record<string, string | undefined> }>(accountPaths.signIn, async (request, reply) => {
    const returnTo = safeReturn(request.query.return);
    if (await signedInAccount(provider, issuer, request.raw, reply.raw)) return reply.code(303).header("cache-control", "no-store").redirect(returnTo, 303);
    const csrf = formToken(reply, request.headers.cookie);
    return send(reply, 200, (nonce, brand) => AccountSignIn({ nonce, brand, action: accountPaths.signIn, returnTo, csrf, failed: false, username: "" }));
  });

  scope.post<{ Body: URLSearchParams }>(accountPaths.signIn, async (request, reply) => {
    const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
    const returnTo = safeReturn(form.get("return"));
    if (!revokeTokenOk(csrfKey, FORM_ID, cookieValue(request.headers.cookie, REVOKE_COOKIE), form.get("csrf"))) {
      return invalid(reply, 403, "The form was not sent from this page. Open the sign-in page again.");
    }
    const username = form.get("username") ?? "";
    const attempt = await ctx.login.attempt(username, form.get("password") ?? "", request.ip);
    if (attempt.outcome === "throttled" || attempt.outcome === "busy") {
      const wait = `Please wait ${attempt.retryAfterSeconds} second${attempt.retryAfterSeconds === 1 ? "" : "s"} and try again.`;
      reply.header("retry-after", String(attempt.retryAfterSeconds));
      return invalid(reply, attempt.outcome === "throttled" ? 429 : 503, attempt.outcome === "throttled" ? `Too many failed sign-in attempts. ${wait}` : `Sign-in is busy right now. ${wait}`);
    }
    if (attempt.outcome !== "signed-in") {
      request.log.info({ account: "sign-in", outcome: "failed" }, "customer login failed");
      const csrf = formToken(reply, request.headers.cookie);
      return send(reply, 200, (nonce, brand) => AccountSignIn({ nonce, brand, action: accountPaths.signIn, returnTo, csrf, failed: true, username }));
    }
    await startAccountSession(provider, issuer, request.raw, reply.raw, attempt.customer.accountId);
    return reply.code(303).header("cache-control", "no-store").redirect(returnTo, 303);
  });

  scope.get(accountPaths.receipts, async (request, reply) => {
    const accountId = await signedInAccount(provider, issuer, request.raw, reply.raw);
    if (!accountId) return reply.code(303).header("cache-control", "no-store").redirect(`${accountPaths.signIn}?return=${encodeURIComponent(accountPaths.receipts)}`, 303);
    const customer = await findCustomerByAccountId(db, accountId);
    const rows = await db.select().from(authorizationReceipts).where(eq(authorizationReceipts.accountId, accountId)).orderBy(desc(authorizationReceipts.createdAt));
    const ids = [...new Set(rows.map((r) => r.grantId))];
    const statuses = new Map(ids.length ? (await db.select({ id: grants.id, status: grants.status }).from(grants).where(inArray(grants.id, ids))).map((g) => [g.id, g.status]) : []);
    const csrf = formToken(reply, request.headers.cookie);
    return send(reply, 200, (nonce, brand) =>
      AccountReceipts({
        nonce,
        brand,
        signedInAs: customer?.displayName ?? "a customer",
        receipts: rows.map((r) => ({ url: `${ctx.urls.receipts}/${r.id}`, confirmation: r.confirmation, createdAt: r.createdAt, clientName: (r.content as ReceiptContent).clientName, status: statuses.get(r.grantId) ?? "revoked" })),
        signOutAction: accountPaths.signOut,
        csrf,
      }),
    );
  });

  scope.post<{ Body: URLSearchParams }>(accountPaths.signOut, async (request, reply) => {
    const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
    if (!revokeTokenOk(csrfKey, FORM_ID, cookieValue(request.headers.cookie, REVOKE_COOKIE), form.get("csrf"))) {
      return invalid(reply, 403, "The form was not sent from this page. Open your receipts page again.");
    }
    await endAccountSession(provider, issuer, request.raw, reply.raw);
    return reply.code(303).header("cache-control", "no-store").redirect(accountPaths.signIn, 303);
  });
}
