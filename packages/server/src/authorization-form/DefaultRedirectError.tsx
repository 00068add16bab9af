/** @jsxImportSource preact */
/**
 * Default Redirect Error (CDS-WG3-01 §9.3.3): where a request sent to the
 * Server's default redirect URI ends with an error. A decline is confirmed as
 * such; any other error is explained and the customer told to tell the app.
 */
import type { Brand } from "./brand.js";
import { Header } from "./Header.js";
import { Page } from "./Page.js";

const EXPLAINED: Record<string, string> = {
  invalid_scope: "the app asked for a kind of access this utility does not offer",
  invalid_authorization_details: "the app's request had details this utility cannot accept",
  invalid_request: "the app's request was incomplete or malformed",
  unauthorized_client: "the app is not allowed to make this request",
  server_error: "something went wrong on our side",
  temporarily_unavailable: "the service is busy right now",
};

export function DefaultRedirectError({ nonce, brand, error, description }: { nonce: string; brand: Brand; error: string; description: string | null }) {
  const declined = error === "access_denied";
  return (
    <Page title={`${declined ? "Request declined" : "Request not completed"} — ${brand.name}`} nonce={nonce} noindex>
      <main class="form-page">
        <Header brand={brand} title={declined ? "You declined the request" : "The request could not be completed"} />
        {declined ? (
          <p role="status">This confirms that you declined the authorization request. Nothing was shared.</p>
        ) : (
          <>
            <p class="form-error" role="alert">
              The authorization request could not be completed because {EXPLAINED[error] ?? "the request was not valid"}.
            </p>
            {description ? <p class="note">Details: {description}</p> : null}
            <p>Please contact the website or app that sent you here and tell them their request could not be completed.</p>
          </>
        )}
        <p>You can close this page.</p>
      </main>
    </Page>
  );
}
