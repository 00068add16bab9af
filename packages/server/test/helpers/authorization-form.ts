/**
 * What the Authorization Form section tests (CDS-WG3-01 §9.1–§9.4 over HTTP)
 * share, so each test file reads as its sections: a listening server on the
 * database under test, the demo seeded, Alex signed in once in a
 * cookie-keeping browser (§9.1.2: later requests in that browser go straight
 * to the form), and the demo app's Client Object to adjust.
 */
import { eq } from "drizzle-orm";
import type * as oauth from "openid-client";
import { beforeAll, beforeEach, expect } from "vitest";
import type { Db } from "../../src/db/index.ts";
import { oauthClients } from "../../src/db/schema.ts";
import { demoApp } from "../../src/demo/demo-app.ts";
import type { CdsServer } from "../../src/server.ts";
import { pushAuthorization, seededWithAlexSignedIn } from "./authorization-code.ts";
import type { Browser } from "./browser.ts";
import type { DatabaseUnderTest } from "./databases.ts";
import { useListeningServer } from "./servers.ts";

/** Changes the demo app's Client Object metadata in place, as a Clients API `PUT` would (CDS-WG3-01 §13.3.1). */
export async function patchDemoApp(db: Db, patch: Record<string, unknown>): Promise<void> {
  const [row] = await db.select().from(oauthClients).where(eq(oauthClients.clientId, demoApp.clientId));
  await db
    .update(oauthClients)
    .set({ metadata: { ...(row!.metadata as object), ...patch } })
    .where(eq(oauthClients.clientId, demoApp.clientId));
}

export interface SignedInAlex {
  readonly server: CdsServer;
  readonly config: oauth.Configuration;
  /** Alex's browser, signed in. */
  readonly browser: Browser;
  /** The demo app's Client Object metadata, changed for the rest of this set-up's life. */
  patchClient(patch: Record<string, unknown>): Promise<void>;
  /** Alex's page for a pushed authorization request with these parameters: shown, not redirected away. */
  page(params: Record<string, string>): Promise<string>;
}

export interface SignedInAlexOptions {
  /** `test`: a fresh demo and sign-in before each test (the tests change what they find); `file`: once. */
  per: "file" | "test";
  /** Demo app metadata set before the app is discovered (e.g. a `client_uri` for the page to show). */
  client?: Record<string, unknown>;
}

export function useSignedInAlex(under: DatabaseUnderTest, options: SignedInAlexOptions): SignedInAlex {
  let server: CdsServer | undefined;
  let signedIn: { config: oauth.Configuration; browser: Browser } | undefined;
  useListeningServer(under, (started) => (server = started));
  const setUp = async () => {
    signedIn = await seededWithAlexSignedIn(under.database.db, server!.url, async () => {
      if (options.client) await patchDemoApp(under.database.db, options.client);
    });
  };
  if (options.per === "test") beforeEach(setUp);
  else beforeAll(setUp);
  const ready = () => {
    if (!signedIn) throw new Error("Alex signs in in a before hook");
    return signedIn;
  };
  return {
    get server() {
      if (!server) throw new Error("the server starts in a before hook");
      return server;
    },
    get config() {
      return ready().config;
    },
    get browser() {
      return ready().browser;
    },
    patchClient: (patch) => patchDemoApp(under.database.db, patch),
    async page(params) {
      const started = await pushAuthorization(ready().config, params);
      const { response, location } = await ready().browser.follow(started.url.toString());
      expect(location, location).toBeUndefined();
      return response.text();
    },
  };
}
