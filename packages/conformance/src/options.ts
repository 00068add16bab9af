/** What `runConformance` needs to know about the Server under test and who may call it. */
import type { CustomerDriver } from "./drivers/customer-driver.js";
import type { OperatorHooks } from "./operators/operator-hooks.js";

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** A Client registered for the authorization-code flow (CDS-WG1-02 §3.3, CDS-WG3-01 §6.1). */
export interface AppCredentials extends ClientCredentials {
  redirectUri: string;
  /** The scope to request, e.g. a Customer Consent scope. */
  scope: string;
  /** Authorization details to request alongside the scope (RFC 9396), when the Server wants them. */
  authorizationDetails?: unknown[];
}

/** A test customer's sign-in, for the customer driver. */
export interface CustomerCredentials {
  username: string;
  password: string;
}

export interface Credentials {
  /**
   * A Client holding `cds_client_admin` (CDS-WG1-02 §3.3.1), in the same
   * registration as `app`, so its Grants API sees the app's Grants. Without
   * it, the suite registers a Client of its own (§4) when the Server allows.
   */
  clientAdmin?: ClientCredentials;
  app?: AppCredentials;
  customer?: CustomerCredentials;
  /**
   * A second test customer, for the rule that one customer cannot complete
   * another's Grant (CDS-WG1-02 §8.3 `cds_grant_id_invalid_user`).
   */
  otherCustomer?: CustomerCredentials;
  /**
   * A Client admin of a registration the Server has shared Server-Provided
   * Files with (CDS-WG1-02 §3.3.3): the Server alone makes those Grants, so
   * the suite cannot arrange one itself.
   */
  filesClientAdmin?: ClientCredentials;
  /**
   * A Client that holds CDS-WG3-01 §6.2 Direct Access scopes
   * (`client_credentials`) and a Grant in force, so the Customer Data
   * scenarios can read every listing without a customer's consent. The
   * Server alone makes Direct Access Grants, so the suite cannot arrange one.
   */
  directAccess?: ClientCredentials;
}

export interface ConformanceOptions {
  /** The Server's base URL: its metadata is at `/.well-known/cds-server-metadata.json` under it. */
  serverUrl: string;
  credentials?: Credentials;
  /** Completes sign-in and consent; the default drives the reference server's pages in headless Chromium. */
  customerDriver?: CustomerDriver;
  /** Does what the Server's operator does (approving a reviewed request); scenarios that need it skip without. */
  operatorHooks?: OperatorHooks;
  /** Scenario ids or id prefixes (`wg1-01`, `wg1-02/registration`) to run; all when absent. */
  only?: readonly string[];
  /** A metadata URL this Server moved away from (CDS-WG1-01 §5), to check its redirect. */
  previousMetadataUrl?: string;
  /** Called as each scenario ends, for progress output. */
  onResult?: (result: import("./scenario.js").ScenarioResult) => void;
}
