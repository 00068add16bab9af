/**
 * CDS-WG1-02 §8.3 `cds_grant_id`: an approval completes the named Grant only
 * while it still needs a user authorization. The request is checked when the
 * form is posted, but the Grant is written a few awaits later; a Grant
 * closed (§8.2), revoked from its receipt (CDS-WG3-01 §9.4) or authorized by
 * another approval in between must stay as it is, never become `active`
 * again. The write is exercised directly, since no HTTP sequence can place a
 * close inside one request's handler.
 */
import { eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { createGrantNeedingAuthorization, recordAuthorization } from "../src/cds/grant-authorization.ts";
import { grants } from "../src/db/schema.ts";
import { demoApp } from "../src/demo/demo-app.ts";
import { seedDemoData } from "../src/demo/seed.ts";
import { revokeGrant } from "../src/authorization-form/revocation.ts";
import { customer } from "./helpers/authorization-code.ts";
import { describeEachDatabase } from "./helpers/databases.ts";

describeEachDatabase("CDS-WG1-02 §8.3 cds_grant_id: a Grant that ended is never authorized again", (under) => {
  const entry = { type: demoApp.scope, account_numbers: ["001001-001"] };
  let grantId: string;
  const db = () => under.database.db;
  const approval = (oidcGrantId: string) => ({ clientId: demoApp.clientId, accountId: customer.accountId, scope: demoApp.scope, authorizationDetails: [entry] as never, oidcGrantId, cdsGrantId: grantId });
  const statusOf = async () => (await db().select({ status: grants.status }).from(grants).where(eq(grants.id, grantId)))[0]!.status;

  beforeEach(async () => {
    await seedDemoData(db(), null);
    grantId = await createGrantNeedingAuthorization(db(), { clientId: demoApp.clientId, scope: demoApp.scope, authorizationDetails: [entry], accountId: customer.accountId });
  });

  it("§8.3 a Grant waiting for authorization becomes active with the approval", async () => {
    expect(await recordAuthorization(db(), approval("oidc-1"))).toBe(grantId);
    expect(await statusOf()).toBe("active");
  });

  it.each(["closed", "revoked", "expired", "disabled"] as const)("§8.2 a Grant %s after the request was checked keeps that status: the approval records nothing", async (ended) => {
    await db().update(grants).set({ status: ended }).where(eq(grants.id, grantId));
    expect(await recordAuthorization(db(), approval("oidc-late"))).toBeNull();
    const [row] = await db().select().from(grants).where(eq(grants.id, grantId));
    expect(row!.status).toBe(ended);
    expect(row!.oidcGrantId).toBeNull();
    expect(row!.enabledAuthorizationDetails).toEqual([]);
  });

  it("CDS-WG3-01 §9.4 a Grant revoked from its receipt after being authorized is not made active by a second approval of the same request", async () => {
    expect(await recordAuthorization(db(), approval("oidc-first"))).toBe(grantId);
    expect(await revokeGrant(db(), grantId)).toBe(true);
    expect(await recordAuthorization(db(), approval("oidc-second"))).toBeNull();
    expect(await statusOf()).toBe("revoked");
  });

  it("§8.3 two approvals of one Grant at once: exactly one completes it", async () => {
    const outcomes = await Promise.all([recordAuthorization(db(), approval("oidc-a")), recordAuthorization(db(), approval("oidc-b"))]);
    expect(outcomes.filter((o) => o === grantId)).toHaveLength(1);
    expect(outcomes.filter((o) => o === null)).toHaveLength(1);
    expect(await statusOf()).toBe("active");
  });
});
