/** @jsxImportSource preact */
/** Invalid Request Error (CDS-WG3-01 §9.3.2): the request cannot be sent back to the app, so the customer is told to tell the app. */
import type { Brand } from "./brand.js";
import { Header } from "./Header.js";
import { Page } from "./Page.js";

export function InvalidRequestError({ nonce, brand, reason }: { nonce: string; brand: Brand; reason: string }) {
  return (
    <Page title={`Invalid request — ${brand.name}`} nonce={nonce}>
      <main class="form-page">
        <Header brand={brand} title="This authorization request is not valid" />
        <p class="form-error" role="alert">
          The link that brought you here does not carry a correct authorization request, so {brand.name} cannot complete it.
        </p>
        <p>Please contact the website or app that gave you this link and tell them that their authorization link is invalid.</p>
        <p class="note">Details for the app's developers: {reason}</p>
      </main>
    </Page>
  );
}

/** A form post another website sent (origin-check.ts): nothing was done, and the customer is told how to carry on safely. */
export function CrossOriginError({ nonce, brand, reason }: { nonce: string; brand: Brand; reason: string }) {
  return (
    <Page title={`Request refused — ${brand.name}`} nonce={nonce}>
      <main class="form-page">
        <Header brand={brand} title="This form was sent from another website" />
        <p class="form-error" role="alert">
          {brand.name} only accepts this form from its own pages, so nothing was approved, declined or changed.
        </p>
        <p>If you did not mean to send it, you can close this page. Otherwise go back to the app or your receipt and start again from there.</p>
        <p class="note">Details: {reason}</p>
      </main>
    </Page>
  );
}
