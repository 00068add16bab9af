/**
 * The one request context every route module is built from: the database,
 * the published URLs, the resolved configuration, the OAuth provider and the
 * bearer-token guards. Route modules take this object instead of a growing
 * list of parameters, so a new dependency (a cache, a data source, a mailer)
 * is added here once rather than threaded through every call.
 */
import type { FastifyBaseLogger, preHandlerHookHandler } from "fastify";
import type Provider from "oidc-provider";
import type { ModifiableClientField } from "./cds/review-policy.js";
import type { ServerConfig } from "./config/index.js";
import type { LoginGuard } from "./customers/index.js";
import type { BearerLookup } from "./oauth/bearer-token.js";
import type { ChangeFeed } from "./db/change-feed.js";
import type { CustomerDataSource } from "./customer-data/data-source.js";
import type { Db } from "./db/index.js";
import type { PublicDocumentCaches } from "./server-metadata/document-cache.js";
import type { PublicUrls } from "./urls.js";
import type { Mailer } from "./mail/mailer.js";

/** The configuration in force, with the port, issuer URL and reviewed fields resolved. */
export type ResolvedConfig = ServerConfig & { issuerUrl: string; reviewedClientFields: readonly ModifiableClientField[] };

export interface ServerContext {
  db: Db;
  urls: PublicUrls;
  config: ResolvedConfig;
  provider: Provider;
  /** The public metadata and coverage documents, prebuilt in memory; call `invalidate()` after writing their data. */
  documents: PublicDocumentCaches;
  log: FastifyBaseLogger;
  /** The customer login with its brute-force limits and bounded password hashing (customers/login-guard.ts). */
  login: LoginGuard;
  /** Where the Customer Data APIs (CDS-WG3-01 §10) and the Authorization Form's selections (§9.2.3, `resourceGraph`) read from: the database by default, or a utility's own source. */
  customerData: CustomerDataSource;
  /** Receipt notifications (CDS-WG3-01 §9.4). */
  mailer: Mailer;
  /** Bearer-token lookups through this instance's token cache (oauth/bearer-token.ts). */
  bearer: BearerLookup;
  /** The database's change announcements (db/change-feed.ts), for in-memory caches of rows; null: cache nothing. */
  changes: ChangeFeed | null;
  /** Bearer-token guards for the APIs, one per kind of token (CDS-WG1-02 §3.3.1, §3.3.2). */
  auth: {
    clientAdmin: preHandlerHookHandler;
    grantAdmin: preHandlerHookHandler;
  };
}
