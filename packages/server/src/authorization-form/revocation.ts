/**
 * Stopping a Grant from its Authorization Receipt (CDS-WG3-01 §9.4: the
 * receipt of a Grant that still gives access offers to revoke it, signed in
 * or not). The Grant becomes `revoked` — CDS-WG1-02 §8.2's status for a
 * customer-authorized Grant the customer ended (`closed` is the Client's own
 * ending) — and the oidc-provider grant behind it is deleted with every
 * access and refresh token issued under it, in the same transaction, so
 * access ends at once rather than when the last token expires.
 *
 * CSRF: the receipt page sets a random cookie scoped to that receipt's path
 * (HttpOnly, SameSite=Strict, Secure behind HTTPS); the button's form carries
 * an HMAC of the receipt id and that cookie under the Server's cookie key.
 * Another site can neither read the token nor make the browser send the
 * Strict cookie with its post; origin-check.ts refuses such posts first.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { GrantStatus } from "@cds-toolkit/types";
import { deleteOidcGrant } from "../cds/grants.js";
import type { Db } from "../db/index.js";
import { grants } from "../db/schema.js";

export const REVOKE_COOKIE = "cds_receipt";

/** Statuses whose Grant can no longer give access: nothing left to stop. */
const ENDED: readonly GrantStatus[] = ["revoked", "closed", "expired", "disabled"];

export const canRevoke = (status: string) => !ENDED.includes(status as GrantStatus);

export const newRevokeCookie = () => randomBytes(18).toString("base64url");

export function revokeToken(key: string, receiptId: string, cookie: string): string {
  return createHmac("sha256", key).update(`receipt-revoke:${receiptId}:${cookie}`).digest("base64url");
}

export function revokeTokenOk(key: string, receiptId: string, cookie: string | undefined, given: string | null): boolean {
  if (!cookie || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(revokeToken(key, receiptId, cookie));
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads one cookie from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

export function revokeCookieHeader(value: string, path: string, secure: boolean): string {
  return `${REVOKE_COOKIE}=${value}; Path=${path}; HttpOnly; SameSite=Strict; Max-Age=86400${secure ? "; Secure" : ""}`;
}

/** Revokes the Grant unless it has already ended; true when this call ended it. */
export async function revokeGrant(db: Db, grantId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ status: grants.status, oidcGrantId: grants.oidcGrantId }).from(grants).where(eq(grants.id, grantId)).for("update");
    if (!row || !canRevoke(row.status)) return false;
    await tx.update(grants).set({ status: "revoked", modifiedAt: sql`now()` }).where(eq(grants.id, grantId));
    if (row.oidcGrantId) await deleteOidcGrant(tx as unknown as Db, row.oidcGrantId);
    return true;
  });
}
