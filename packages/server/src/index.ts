/**
 * The public API of `@cds-toolkit/server`. Its declarations must type-check for
 * a consumer with default `tsc` settings (no `skipLibCheck`), so nothing here
 * names a drizzle or oidc-provider type: those libraries are internal, and
 * drizzle's own declarations do not compile without `skipLibCheck`. Where an
 * internal module's type would drag them in, this file exports a narrow
 * interface of its own and re-types the function to it
 * (tools/checks/consumer-install.test.ts proves the result).
 */
import type { DemoUtilitySize } from "./demo/customer-data/generator.js";
import type { FastifyInstance } from "fastify";
import type { ModifiableClientField } from "./cds/review-policy.js";
import type { DatabaseConfig, ServerConfig } from "./config/index.js";
import type { CustomerDataSource } from "./customer-data/data-source.js";
import type { RelatedNumbers } from "./customer-data/listing-rules.js";
import type { StoredObject } from "./customer-data/stored-object.js";
import type { DemoClientInfo } from "./demo/demo-client-info.js";
import type { LogStream } from "./http/logging.js";
import type { ServerOperator } from "./operator-api.js";
import * as internal from "./public-internals.js";

export { ConfigError, defaultIssuerUrl, fromEnvironment, parseConfig, settings, type DatabaseConfig, type ServerConfig } from "./config/index.js";
export { publicUrls, paths, type PublicUrls } from "./urls.js";
export { defaultReviewedClientFields, modifiableClientFields, type ModifiableClientField } from "./cds/review-policy.js";
export { RequestResolutionError, resolutionsByType, type RequestResolution, type ResolutionRule, type ResolveRequestInput } from "./cds/request-resolution.js";
export type { PendingRequest, ResolvedRequest, ServerOperator } from "./operator-api.js";
export type { AuthorizationNeeded, RequestedAccess } from "./cds/access-request.js";
export type { FileShare, NewServerProvidedFile } from "./cds/file-share.js";
export { CustomerInputError, type Customer, type NewCustomer } from "./customers/customer.js";
export type {
  CustomerDataKind,
  CustomerDataKinds,
  CustomerDataObject,
  CustomerDataSource,
  CustomerResourceGraph,
  ListFilterName,
  ListPage,
  ListPosition,
  ListRequest,
  ListedObject,
} from "./customer-data/data-source.js";
export type { RelatedNumbers } from "./customer-data/listing-rules.js";
export type { StoredObject } from "./customer-data/stored-object.js";
export type { DemoClientInfo } from "./demo/demo-client-info.js";
export type { LogStream } from "./http/logging.js";
export { generateDemoUtility, defaultDemoSize, demoYearSize, walkthroughMeterId, type DemoUtility, type DemoUtilitySize } from "./demo/customer-data/generator.js";

declare const dbBrand: unique symbol;

/** The server's query handle on an open database; opaque, since its (drizzle) type is internal. */
export interface Db {
  readonly [dbBrand]: "@cds-toolkit/server database handle";
}

/** An open database, from `openDatabase`. */
export interface Database {
  readonly db: Db;
  readonly kind: DatabaseConfig["kind"];
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A PGlite data directory dump (`PGlite.dumpDataDir`) to start an in-memory database from, skipping PGlite's slow cluster creation. */
  pgliteSnapshot?: Blob;
}

/** The configuration in force, with the port, issuer URL and reviewed fields resolved. */
export type ResolvedConfig = ServerConfig & { issuerUrl: string; reviewedClientFields: readonly ModifiableClientField[] };

/** The public documents the server keeps in memory. */
export interface PublicDocuments {
  /** Forget everything: call it after writing their data other than through this server. */
  invalidate(): void;
}

export interface CreateServerOptions {
  config: ServerConfig;
  /** An open database to use instead of opening `config.database`; the caller keeps ownership and closes it. */
  database?: Database;
  /** Where log lines go (one JSON object per line); standard error by default. */
  logStream?: LogStream;
  /** A utility's own customer data (CDS-WG3-01 §10) instead of the database-backed reference source. */
  customerData?: CustomerDataSource;
}

export interface CdsServer {
  app: FastifyInstance;
  /** The base URL: the issuer URL, from which every published URL is built. */
  url: string;
  /** The configuration in force, with the port, issuer URL and reviewed fields resolved. */
  config: ResolvedConfig;
  /** The demo client, when demo data is on. */
  demoClient: DemoClientInfo | null;
  /** The Server's side of the Messages conversation: pending requests and their resolution (CDS-WG1-02 §6). */
  operator: ServerOperator;
  /** The in-memory public documents: `invalidate()` after writing their data other than through this server. */
  documents: PublicDocuments;
  /** Forgets every rate-limit count of this instance (they live in memory): for tests that start each case afresh. */
  resetRateLimits(): void;
  /** Starts listening; resolves to `url`. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

// The public types describe the same objects as the internal ones with the
// library types hidden; these assignments fail to compile if the two drift
// apart (the handle casts are the one place the opaque `Db` is crossed).
const toDb = (db: internal.Db): Db => db as unknown as Db;
const fromDb = (db: Db): internal.Db => db as unknown as internal.Db;
// `changes` (the token-change announcements) travels along unnamed; a Database made by hand has none, and the server then caches no tokens.
const fromDatabase = (database: Database): internal.Database => ({ ...database, db: fromDb(database.db) });
const toDatabase = (database: internal.Database): Database =>
  Object.assign({ kind: database.kind, close: () => database.close(), db: toDb(database.db) }, { changes: database.changes });
const toServer = (server: internal.CdsServer): CdsServer => server;

export async function createServer(options: CreateServerOptions): Promise<CdsServer> {
  const { database, ...rest } = options;
  return toServer(await internal.createServer({ ...rest, ...(database ? { database: fromDatabase(database) } : {}) }));
}

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  return toDatabase(await internal.openDatabase(config, options));
}

export function truncateAll(db: Db): Promise<void> {
  return internal.truncateAll(fromDb(db));
}

/** `size`: the demo utility to seed (`defaultDemoSize` unless given; `demoYearSize` adds the walkthrough meter's year). */
export function seedDemoData(db: Db, configuredSecret: string | null, size?: DemoUtilitySize): Promise<DemoClientInfo> {
  return internal.seedDemoData(fromDb(db), configuredSecret, size);
}

/** Inserts or replaces customer-data objects in the reference database source (see `DatabaseCustomerDataSource`). */
export function storeCustomerData(db: Db, objects: readonly StoredObject[], numbers: RelatedNumbers, batchSize?: number): Promise<void> {
  return internal.storeCustomerData(fromDb(db), objects, numbers, batchSize);
}

/** The reference customer-data source, reading what `storeCustomerData` stored (the same object at run time; only the handle's type differs). */
export const DatabaseCustomerDataSource = internal.DatabaseCustomerDataSource as unknown as new (db: Db) => CustomerDataSource;
