/**
 * What a scenario works with: the Server's documents (fetched once per run),
 * Clients and tokens, the authorization-code flow through the customer
 * driver, and the verdict helpers that name the section a failure is about.
 * Shared lookups are memoised per run; anything a scenario changes (a Grant
 * it closes, a token it revokes) it makes for itself.
 */
import { createHash, randomBytes } from "node:crypto";
import type { ModelName } from "@cds-toolkit/schemas";
import { chromiumDriver } from "./drivers/chromium.js";
import type { CustomerDriver } from "./drivers/customer-driver.js";
import type { OperatorHooks } from "./operators/operator-hooks.js";
import { describe, request, type HttpResponse, type RequestOptions } from "./http.js";
import type { AppCredentials, ClientCredentials, ConformanceOptions, CustomerCredentials } from "./options.js";
import { ConformanceFailure, ScenarioSkipped, type SpecId } from "./scenario.js";
import { strictlyValid, summarizeErrors } from "./schema-check.js";

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export const base64url = (bytes: Buffer) => bytes.toString("base64url");
export const pkcePair = () => {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: base64url(createHash("sha256").update(verifier).digest()) };
};

/** State shared by every scenario of one run. */
export class RunState {
  private readonly memo = new Map<string, Promise<unknown>>();
  private driverInstance: CustomerDriver | undefined;
  readonly options: ConformanceOptions;
  constructor(options: ConformanceOptions) {
    this.options = options;
  }
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let hit = this.memo.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = make();
      // A failed lookup is not cached: the next scenario tries again and reports its own failure.
      hit.catch(() => this.memo.delete(key));
      this.memo.set(key, hit);
    }
    return hit;
  }
  driver(): CustomerDriver {
    this.driverInstance ??= this.options.customerDriver ?? chromiumDriver();
    return this.driverInstance;
  }
  async close(): Promise<void> {
    // Only the driver this run made is closed; one passed in belongs to the caller.
    if (this.driverInstance && !this.options.customerDriver) await this.driverInstance.close?.();
  }
}

export interface AuthorizationOptions {
  app?: AppCredentials;
  /** Extra or overriding PAR parameters (`undefined` removes one). */
  params?: Record<string, string | undefined>;
  /** Who signs in: `credentials.customer` by default. */
  customer?: CustomerCredentials;
}

export interface StartedAuthorization {
  authorizationUrl: URL;
  verifier: string;
  state: string;
  app: AppCredentials;
}

export interface FinishedAuthorization extends StartedAuthorization {
  callback: URL;
  code: string;
}

export class ScenarioContext {
  readonly spec: SpecId;
  readonly serverUrl: string;
  private readonly run: RunState;
  constructor(run: RunState, spec: SpecId) {
    this.run = run;
    this.spec = spec;
    this.serverUrl = run.options.serverUrl.replace(/\/+$/, "");
  }

  get options(): ConformanceOptions {
    return this.run.options;
  }

  /** Made once per run and shared by the scenarios that ask under the same key (a failure is not kept). */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    return this.run.once(key, make);
  }

  // ---- verdicts ----------------------------------------------------------

  fail(section: string, message: string, spec: SpecId = this.spec): never {
    throw new ConformanceFailure(spec, section, message);
  }

  check(condition: unknown, section: string, message: string, spec: SpecId = this.spec): asserts condition {
    if (!condition) this.fail(section, message, spec);
  }

  skip(reason: string): never {
    throw new ScenarioSkipped(reason);
  }

  /** Fails unless `value` is strictly a `model` (or a document of a layer extending it). */
  conforms(model: ModelName, value: unknown, section: string, what: string, spec: SpecId = this.spec): void {
    const verdict = strictlyValid(model, value);
    if (!verdict.ok) this.fail(section, `${what} is not a valid ${model}: ${summarizeErrors(verdict.errors)}`, spec);
  }

  /** Fails unless the answer has `status`, naming what was asked. */
  expectStatus(res: HttpResponse, status: number | readonly number[], section: string, what: string, spec: SpecId = this.spec): void {
    const wanted = typeof status === "number" ? [status] : status;
    if (!wanted.includes(res.status)) this.fail(section, `${what}: expected ${wanted.join(" or ")}, got ${describe(res)}`, spec);
  }

  // ---- HTTP --------------------------------------------------------------

  request(url: string | URL, options?: RequestOptions): Promise<HttpResponse> {
    return request(url, options);
  }

  url(path: string): string {
    return `${this.serverUrl}${path}`;
  }

  // ---- documents ---------------------------------------------------------

  /** The metadata at the well-known URI (CDS-WG1-01 §3.1), not validated here (wg1-01/metadata-fields does that). */
  serverMetadata(): Promise<Json> {
    return this.run.once("server-metadata", async () => {
      const res = await request(this.url("/.well-known/cds-server-metadata.json"));
      if (res.status !== 200 || !isObject(res.json)) this.fail("3.1", `the well-known metadata URL answered ${describe(res)}`, "CDS-WG1-01");
      return res.json;
    });
  }

  /** The Authorization Server Metadata `oauth_metadata` points at (CDS-WG1-02 §3.1); skips on a Server without it. */
  asMetadata(): Promise<Json> {
    return this.run.once("as-metadata", async () => {
      const metadata = await this.serverMetadata();
      const url = metadata.oauth_metadata;
      if (typeof url !== "string") this.skip("the Server Metadata has no `oauth_metadata`: not a CDS-WG1-02 Server");
      const res = await request(url);
      if (res.status !== 200 || !isObject(res.json)) this.fail("3.1", `\`oauth_metadata\` answered ${describe(res)}`, "CDS-WG1-02");
      return res.json;
    });
  }

  /** A URL field of the Authorization Server Metadata; fails when absent (they are REQUIRED where used). */
  async endpoint(field: string, section = "3.2"): Promise<string> {
    const value = (await this.asMetadata())[field];
    if (typeof value !== "string") this.fail(section, `the Authorization Server Metadata has no \`${field}\``, "CDS-WG1-02");
    return value;
  }

  // ---- Clients and tokens ------------------------------------------------

  /** Registers a new Client (CDS-WG1-02 §4.1) and answers the response. */
  async register(body: Json = { scope: "cds_client_admin" }): Promise<HttpResponse> {
    return request(await this.endpoint("registration_endpoint"), { body });
  }

  /** A fresh registration's client admin Client. */
  async registerFresh(): Promise<ClientCredentials> {
    const res = await this.register();
    this.expectStatus(res, [200, 201], "4.2", "client registration", "CDS-WG1-02");
    const body = res.json as Json;
    if (typeof body.client_id !== "string" || typeof body.client_secret !== "string") this.fail("4.2", "the registration response lacks `client_id` or `client_secret`", "CDS-WG1-02");
    return { clientId: body.client_id, clientSecret: body.client_secret };
  }

  /**
   * A registration of the suite's own, made once per run, for scenarios that
   * change what they manage (names, Credentials, Messages): registrations are
   * rate limited more tightly than anything else.
   */
  ownRegistration(): Promise<ClientCredentials> {
    return this.run.once("own-registration", () => this.registerFresh());
  }

  /** The Client admin the run uses: the one given, or one registered for the run. */
  clientAdmin(): Promise<ClientCredentials> {
    const given = this.options.credentials?.clientAdmin;
    if (given) return Promise.resolve(given);
    return this.run.once("client-admin", () => this.registerFresh());
  }

  async tokenRequest(client: ClientCredentials, form: Record<string, string | undefined>): Promise<HttpResponse> {
    return request(await this.endpoint("token_endpoint"), { basic: { id: client.clientId, secret: client.clientSecret }, form });
  }

  /** A client_credentials access token for `scope` (CDS-WG1-02 §3.3.1 for the client admin scope). */
  async clientToken(client: ClientCredentials, scope = "cds_client_admin"): Promise<string> {
    const res = await this.tokenRequest(client, { grant_type: "client_credentials", scope });
    this.expectStatus(res, 200, "3.3.1", `client_credentials token for ${scope}`, "CDS-WG1-02");
    const token = (res.json as Json | undefined)?.access_token;
    if (typeof token !== "string") this.fail("3.3.1", "the token response has no `access_token`", "CDS-WG1-02");
    return token;
  }

  /** A client admin token of the run's Client admin, fetched once. */
  adminToken(): Promise<string> {
    return this.run.once("admin-token", async () => this.clientToken(await this.clientAdmin()));
  }

  /**
   * A `client_credentials` token of the Direct Access Client for every
   * CDS-WG3-01 §6.2 scope the Server describes (type `cds_query_*`), and the
   * Grants it names (`cds_grant_ids`), fetched once; skips without such a
   * Client or scopes.
   */
  directAccess(): Promise<{ token: string; grantIds: string[] }> {
    const client = this.options.credentials?.directAccess;
    if (!client) this.skip("needs a Direct Access Client (credentials.directAccess / --direct-access-client-id)");
    return this.run.once("direct-access-token", async () => {
      const descriptions = (await this.asMetadata()).cds_scope_descriptions;
      const scopes = isObject(descriptions) ? Object.values(descriptions).filter((d): d is Json => isObject(d) && typeof d.type === "string" && d.type.startsWith("cds_query_")).map((d) => String(d.id)) : [];
      if (scopes.length === 0) this.skip("the Server describes no Direct Access scope (CDS-WG3-01 §6.2)");
      const res = await this.tokenRequest(client, { grant_type: "client_credentials", scope: scopes.join(" ") });
      this.expectStatus(res, 200, "6.2", `client_credentials token for ${scopes.join(" ")}`, "CDS-WG3-01");
      const body = res.json as Json | undefined;
      if (typeof body?.access_token !== "string") this.fail("6.2", "the token response has no `access_token`", "CDS-WG3-01");
      return { token: body.access_token, grantIds: Array.isArray(body.cds_grant_ids) ? body.cds_grant_ids.map(String) : [] };
    });
  }

  app(): AppCredentials {
    const app = this.options.credentials?.app;
    if (!app) this.skip("needs an authorization-code Client (credentials.app / --app-client-id)");
    return app;
  }

  driver(): CustomerDriver {
    return this.run.driver();
  }

  operator(): OperatorHooks {
    const hooks = this.options.operatorHooks;
    if (!hooks) this.skip("needs the Server's operator to resolve a request (operatorHooks; the cds-conformance command has none)");
    return hooks;
  }

  // ---- the authorization-code flow ---------------------------------------

  /** Pushes an authorization request (RFC 9126) with PKCE S256 and a state; answers the URL to send the customer to. */
  async startAuthorization(options: AuthorizationOptions = {}): Promise<StartedAuthorization> {
    const app = options.app ?? this.app();
    const { verifier, challenge } = pkcePair();
    const state = base64url(randomBytes(16));
    const form: Record<string, string | undefined> = {
      client_id: app.clientId,
      response_type: "code",
      redirect_uri: app.redirectUri,
      scope: app.scope,
      code_challenge: challenge,
      code_challenge_method: "S256",
      state,
      ...(app.authorizationDetails ? { authorization_details: JSON.stringify(app.authorizationDetails) } : {}),
      ...options.params,
    };
    const par = await request(await this.endpoint("pushed_authorization_request_endpoint"), { basic: { id: app.clientId, secret: app.clientSecret }, form });
    this.expectStatus(par, 201, "3.2", "pushed authorization request (RFC 9126 §2.2)", "CDS-WG1-02");
    const requestUri = (par.json as Json | undefined)?.request_uri;
    if (typeof requestUri !== "string") this.fail("3.2", "the PAR response has no `request_uri`", "CDS-WG1-02");
    const authorizationUrl = new URL(await this.endpoint("authorization_endpoint"));
    authorizationUrl.searchParams.set("client_id", app.clientId);
    authorizationUrl.searchParams.set("request_uri", requestUri);
    return { authorizationUrl, verifier, state, app };
  }

  /** The customer signs in and approves through the driver; answers the code. */
  async authorize(options: AuthorizationOptions = {}): Promise<FinishedAuthorization> {
    const started = await this.startAuthorization(options);
    const customer = options.customer ?? this.options.credentials?.customer;
    const callback = await this.driver().authorize({ authorizationUrl: started.authorizationUrl, redirectUri: started.app.redirectUri, ...(customer ? { customer } : {}) });
    const error = callback.searchParams.get("error");
    if (error) this.fail("3.2", `the approved authorization ended with error=${error}`, "CDS-WG1-02");
    this.check(callback.searchParams.get("state") === started.state, "3.2", "the authorization response does not carry the request's `state` back (RFC 6749 §4.1.2)", "CDS-WG1-02");
    const code = callback.searchParams.get("code");
    if (!code) this.fail("3.2", "the authorization response has no `code`", "CDS-WG1-02");
    return { ...started, callback, code };
  }

  /** Redeems a code (RFC 6749 §4.1.3) with its verifier; answers the raw response. */
  redeem(flow: FinishedAuthorization, overrides: Record<string, string | undefined> = {}): Promise<HttpResponse> {
    return this.tokenRequest(flow.app, { grant_type: "authorization_code", code: flow.code, redirect_uri: flow.app.redirectUri, code_verifier: flow.verifier, ...overrides });
  }

  /** A whole authorization-code flow: the token response body. */
  async customerTokens(options: AuthorizationOptions = {}): Promise<Json & { access_token: string }> {
    const flow = await this.authorize(options);
    const res = await this.redeem(flow);
    this.expectStatus(res, 200, "3.2", "authorization code redemption", "CDS-WG1-02");
    const body = res.json as Json;
    if (typeof body.access_token !== "string") this.fail("3.2", "the token response has no `access_token`", "CDS-WG1-02");
    return body as Json & { access_token: string };
  }

  /**
   * The Customer Data APIs (CDS-WG3-01 §5) the Authorization Server Metadata
   * lists: `cds_*_api` URLs other than CDS-WG1-02's own.
   */
  async customerDataApis(): Promise<string[]> {
    const own = new Set(["cds_clients_api", "cds_messages_api", "cds_credentials_api", "cds_grants_api", "cds_server_provided_files_api"]);
    const as = await this.asMetadata();
    return Object.entries(as)
      .filter(([k, v]) => /^cds_[a-z_]+_api$/.test(k) && !own.has(k) && typeof v === "string")
      .map(([, v]) => v as string);
  }

  /** A Customer Data API URL that `token` reads with 200; skips when the Server lists none. */
  async readableWith(token: string): Promise<string> {
    const apis = await this.customerDataApis();
    if (apis.length === 0) this.skip("the Server lists no Customer Data API (CDS-WG3-01 §5) to read with a customer's token");
    for (const api of apis) {
      if ((await request(api, { bearer: token })).status === 200) return api;
    }
    this.fail("3.2", "no Customer Data API the Server lists answers 200 to the customer's fresh access token", "CDS-WG1-02");
  }
}
