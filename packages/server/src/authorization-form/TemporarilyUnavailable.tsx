/** @jsxImportSource preact */
/**
 * What a customer's browser gets when a customer-facing page (the
 * Authorization Form, receipts, the account pages) cannot be served because
 * the database is down or too slow (issue 16): a page in the Server's brand,
 * not a JSON error body, saying nothing was done and when to try again. The
 * approval write is one transaction, so an approval that met the outage left
 * nothing behind; reloading the page retries.
 */
import type { Brand } from "./brand.js";
import { Header } from "./Header.js";
import { Page } from "./Page.js";

export function TemporarilyUnavailable({ nonce, brand, retryAfterSeconds }: { nonce: string; brand: Brand; retryAfterSeconds: number }) {
  return (
    <Page title={`Temporarily unavailable — ${brand.name}`} nonce={nonce} noindex>
      <main class="form-page">
        <Header brand={brand} title="This page is temporarily unavailable" />
        <p class="form-error" role="alert">
          {brand.name} cannot reach the information this page needs right now. Nothing was approved, shared or changed.
        </p>
        <p>
          Please wait about {retryAfterSeconds} second{retryAfterSeconds === 1 ? "" : "s"} and reload this page.
        </p>
      </main>
    </Page>
  );
}
