/**
 * The customer's side of the authorization-code flow: a Server's sign-in and
 * consent pages are its own (CDS-WG3-01 §9 fixes what they show, not their
 * HTML), so the suite takes a driver that completes them. The default drives
 * the reference server's pages in headless Chromium; a Server under test can
 * plug in its own.
 */
import type { CustomerCredentials } from "../options.js";

export interface AuthorizationAttempt {
  /** Where the Client sends the customer (after PAR: with `request_uri`). */
  authorizationUrl: URL;
  /** The Client's redirect URI: the driver stops when the browser is sent there. */
  redirectUri: string;
  customer?: CustomerCredentials;
}

/** What a driver saw of the consent page, for the negative scenarios on its own defences. */
export interface ConsentPageProbe {
  /** The consent page's response headers (lower-case names). */
  headers: Record<string, string>;
  /** Approving with every anti-forgery field removed from the form: where the browser ended. */
  withoutCsrf: { status: number; redirectedTo: string | null };
}

/** One authorization of several made in the same browser session. */
export interface SessionStep {
  /** Whether the Server showed its sign-in form on this authorization. */
  askedToSignIn: boolean;
  /** Where the Server sent the browser (the redirect URI with `code` or `error`). */
  callback: URL;
}

export interface CustomerDriver {
  readonly name: string;
  /** Signs in and approves; resolves to the URL the Server sent the browser to (the redirect URI with `code` or `error`). */
  authorize(attempt: AuthorizationAttempt): Promise<URL>;
  /** Signs in, reaches the consent page and tries approving it without its anti-forgery token. */
  probeConsentPage?(attempt: AuthorizationAttempt): Promise<ConsentPageProbe>;
  /**
   * Completes the attempts one after another in one browser session (its
   * cookies kept), signing in whenever asked: for `prompt=login` (CDS-WG1-02 §8.3).
   */
  authorizeInOneSession?(attempts: readonly AuthorizationAttempt[]): Promise<SessionStep[]>;
  close?(): Promise<void>;
}
