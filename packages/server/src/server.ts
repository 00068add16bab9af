/**
 * `createServer`: the whole reference server as a library. The CLI (cli.ts)
 * is this plus configuration from the environment and flags.
 */
import { createServer as createNetServer } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import { defaultReviewedClientFields } from "./cds/review-policy.js";
import { defaultIssuerUrl, type ServerConfig } from "./config/index.js";
import { LoginGuard } from "./customers/index.js";
import { openDatabase, type Database } from "./db/index.js";
import { createPublicDocumentCaches, type PublicDocumentCaches } from "./server-metadata/document-cache.js";
import { seedDemoData, type DemoClientInfo } from "./demo/seed.js";
import { currentDemoSize } from "./demo/customer-data/seed.js";
import { withDemoYear } from "./demo/customer-data/generator.js";
import { answerClientError, installErrorHandlers } from "./http/error-handler.js";
import { EdgeRuleError, installEdgeValidation, sendEdgeError } from "./http/edge-validation.js";
import { loggableError } from "./http/loggable-error.js";
import { lazyChildLoggerFactory } from "./http/lazy-request-logger.js";
import { loggerOptions, type LogStream } from "./http/logging.js";
import { registerRateLimit, WindowCounter } from "./http/rate-limit.js";
import { securityHeaders } from "./http/security-headers.js";
import { installDrainingRefusal } from "./http/draining.js";
import { loadOrCreateKeys } from "./oauth/keys.js";
import { registerInteractionRoutes } from "./oauth/interactions/routes.js";
import { createMailer } from "./mail/mailer.js";
import { mountProvider } from "./oauth/mount.js";
import { createProvider, type HeldDiscovery } from "./oauth/provider.js";
import { discoveryFastPathHook } from "./http/public-document-fast-path.js";
import { clientAdminAuth, grantAdminAuth } from "./http/bearer-auth.js";
import { BearerTokenCache, type BearerLookup } from "./oauth/bearer-token.js";
import { createClientCaches } from "./oauth/client-cache.js";
import { registerClientsRoutes } from "./routes/clients.js";
import { registerClientMetadataRoutes } from "./routes/client-metadata.js";
import { registerCredentialsRoutes } from "./routes/credentials.js";
import { registerDocsSiteRoutes } from "./routes/docs-site.js";
import { registerGrantsRoutes } from "./routes/grants.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerMessagesRoutes } from "./routes/messages.js";
import { registerRegistrationRoute } from "./routes/registration.js";
import { registerServerMetadataRoutes } from "./routes/server-metadata.js";
import { registerServerProvidedFilesRoutes } from "./routes/server-provided-files.js";
import { registerCustomerDataRoutes } from "./customer-data/apis/index.js";
import { createOperator, type ServerOperator } from "./operator.js";
import { paths, publicUrls } from "./urls.js";
import type { ResolvedConfig, ServerContext } from "./context.js";
import type { CustomerDataSource } from "./customer-data/data-source.js";
import { DatabaseCustomerDataSource } from "./customer-data/database-source.js";

export interface CreateServerOptions {
  config: ServerConfig;
  /** An open database to use instead of opening `config.database`; the caller keeps ownership and closes it. */
  database?: Database;
  /** Where log lines go (one JSON object per line); standard error by default. */
  logStream?: LogStream;
  /** A utility's own customer data (CDS-WG3-01 §10) instead of the database-backed reference source. */
  customerData?: CustomerDataSource;
  /**
   * Whether the public documents may be answered early from memory
   * (http/public-document-fast-path.ts); true by default. False serves them
   * through the whole hook chain: for tests that compare the two answers.
   */
  publicDocumentFastPath?: boolean;
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
  documents: PublicDocumentCaches;
  /** This instance's cache of valid bearer tokens (oauth/bearer-token.ts), for tests and diagnostics; not part of the published interface. */
  bearerTokens: { has(token: string): boolean; readonly size: number };
  /** This instance's token-endpoint caches (oauth/client-cache.ts), for tests and diagnostics: whether a Client Object is held, how many secret acceptances. */
  tokenEndpointCache: { holdsClient(clientId: string): boolean; readonly acceptedSecrets: number };
  /** Forgets every rate-limit count of this instance (they live in memory): for tests that start each case afresh. */
  resetRateLimits(): void;
  /** Starts listening; resolves to `url`. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function createServer(options: CreateServerOptions): Promise<CdsServer> {
  const port = options.config.port === 0 ? await findFreePort(options.config.host) : options.config.port;
  const issuerUrl = options.config.issuerUrl ?? defaultIssuerUrl(options.config.host, port);
  const config: ResolvedConfig = { ...options.config, port, issuerUrl, reviewedClientFields: options.config.reviewedClientFields ?? defaultReviewedClientFields };
  const urls = publicUrls(issuerUrl);

  const isOAuth = (request: { url: string }) => request.url.startsWith(paths.oauthPrefix) || request.url.split("?")[0] === paths.oauthMetadata;
  // Registration answers its 400s in the RFC 7591 body, but every other error (413, 415, 429, 500) as
  // problem details, its contract's 4XX/5XX (issue 18 defect 5).
  const isOAuthBeyond400 = (request: { url: string }) => isOAuth(request) && request.url.split("?")[0] !== paths.registration;
  // A request refused before any route (edge rules, a malformed URL): the RFC 8414 document's contract
  // documents its 4XX as problem details (only its 429 is an OAuth error), the /oauth/ endpoints' as OAuth errors.
  const isOAuthEndpoint = (request: { url: string }) => request.url.startsWith(paths.oauthPrefix);
  const database = options.database ?? (await openDatabase(config.database));
  const ownsDatabase = !options.database;
  try {
    const { db } = database;
    const demoSize = config.demoYear ? withDemoYear(currentDemoSize()) : currentDemoSize();
    const demoClient = config.demoData ? await seedDemoData(db, config.demoClientSecret, demoSize) : null;
    const keys = await loadOrCreateKeys(db);

    const app = Fastify({
      logger: loggerOptions(config.logLevel, options.logStream ?? process.stderr),
      // No per-request pino child (and its redaction work) unless the request logs (http/lazy-request-logger.ts).
      childLoggerFactory: lazyChildLoggerFactory,
      trustProxy: config.trustProxy,
      // Off: http/draining.ts answers requests that arrive while closing on the contract (503 problem details).
      return503OnClosing: false,
      // Long ids are a 404 like any unknown id (no 414 echoing the path); ids are bounded by the contract anyway.
      routerOptions: { maxParamLength: 2048 },
      // Fastify's own refusals (a path that is not percent-encoded UTF-8) answer on the contract too.
      frameworkErrors: (error, request, reply) => {
        const edge = new EdgeRuleError("path", "utf-8", "is not valid percent-encoded UTF-8");
        if (error.code !== "FST_ERR_BAD_URL") request.log.info({ error: loggableError(error) }, "framework error");
        return sendEdgeError(reply, request, edge, isOAuthEndpoint);
      },
      clientErrorHandler: answerClientError,
    });
    // Callback style, not async: no promise per request for two header writes.
    app.addHook("onSend", (_request, reply, payload, done) => {
      reply.headers(securityHeaders);
      done(null, payload);
    });
    installDrainingRefusal(app, isOAuthBeyond400);
    installErrorHandlers(app, isOAuthBeyond400, isOAuth);
    installEdgeValidation(app, isOAuthEndpoint);
    // Before the rate limit, which applies to the routes registered after it: the
    // docs are static files, and a page loads a dozen of them.
    await registerDocsSiteRoutes(app, config.docsDir ?? null);
    // Probes for orchestrators: before the rate limit too, so they are never refused (routes/health.ts).
    registerHealthRoutes(app, db);
    // Rate-limit counts live in this instance's memory (http/rate-limit.ts): per-address, and per Credential.
    const addressCounts = new WindowCounter();
    const credentialCounts = new WindowCounter();
    await registerRateLimit(app, db, config.rateLimitPerMinute, addressCounts);

    const documents = createPublicDocumentCaches(db, urls);
    // The token endpoint's Client Objects and accepted secrets stay in memory until the database announces a change (oauth/client-cache.ts).
    const clientCaches = createClientCaches(database.changes ?? null);
    // The early answers of the public documents (http/public-document-fast-path.ts) count on the per-address limiter's counter.
    const fastPath = options.publicDocumentFastPath === false ? null : { counter: addressCounts, perMinute: config.rateLimitPerMinute };
    const discovery: HeldDiscovery = { current: null };
    const provider = createProvider({ issuer: issuerUrl, db, keys, log: app.log, cdsFields: () => documents.cdsFields(), clientCaches, discovery });
    // Valid tokens stay in memory until the database announces a change that ends them (oauth/bearer-token.ts).
    const tokenCache = new BearerTokenCache(database.changes ?? null);
    const bearer: BearerLookup = { provider, db, cache: tokenCache };
    const ctx: ServerContext = {
      db,
      urls,
      config,
      provider,
      documents,
      log: app.log,
      login: new LoginGuard(db),
      customerData: options.customerData ?? new DatabaseCustomerDataSource(db),
      // Until the Customer Data source lands (issue 12), the demo customers' stand-in graph.
      mailer: createMailer(db, config.smtpUrl ?? null, config.mailFrom ?? "no-reply@localhost"),
      bearer,
      changes: database.changes ?? null,
      auth: {
        clientAdmin: clientAdminAuth(bearer, config.rateLimitPerMinute, credentialCounts),
        grantAdmin: grantAdminAuth(bearer, config.rateLimitPerMinute, credentialCounts),
      },
    };
    registerServerMetadataRoutes(app, ctx, fastPath);
    registerRegistrationRoute(app, ctx);
    registerClientMetadataRoutes(app, ctx);
    registerClientsRoutes(app, ctx);
    registerCredentialsRoutes(app, ctx);
    registerGrantsRoutes(app, ctx);
    registerMessagesRoutes(app, ctx);
    registerServerProvidedFilesRoutes(app, ctx);
    registerCustomerDataRoutes(app, ctx);
    await registerInteractionRoutes(app, ctx);
    await mountProvider(app, provider, issuerUrl, fastPath && discoveryFastPathHook(fastPath, paths.oauthMetadata, discovery, () => documents.peekCdsFields()));
    await app.ready();

    return {
      app,
      url: issuerUrl,
      config,
      demoClient,
      operator: createOperator(db, urls),
      documents,
      bearerTokens: tokenCache,
      tokenEndpointCache: {
        holdsClient: (clientId) => clientCaches.clients.get(clientId) !== undefined,
        get acceptedSecrets() {
          return clientCaches.secrets.size;
        },
      },
      resetRateLimits() {
        addressCounts.reset();
        credentialCounts.reset();
      },
      async listen() {
        await app.listen({ port, host: config.host });
        return issuerUrl;
      },
      async close() {
        await app.close();
        tokenCache.close();
        clientCaches.close();
        ctx.mailer.close();
        if (ownsDatabase) await database.close();
      },
    };
  } catch (error) {
    if (ownsDatabase) await database.close().catch(() => {});
    throw error;
  }
}

/** A port free right now on `host`, for `PORT=0`: the issuer URL must name the port before listening. */
async function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
