/** @jsxImportSource preact */
/**
 * Preselection Error (CDS-WG3-01 §9.3.1): the Client asked for items this
 * customer does not have. The page names the Client and the requested items
 * (only what the Client itself sent), then offers to decline (the Client gets
 * `invalid_authorization_details`, spec/ERRATA.md E-WG3-01-4) or to sign in
 * as someone else. It never says which of the numbers exist.
 */
import type { Brand } from "./brand.js";
import { Header } from "./Header.js";
import { Page } from "./Page.js";

export function PreselectionError(p: { nonce: string; brand: Brand; clientName: string; requested: { what: string; values: string[] }[]; declineAction: string; switchAction: string; csrf: string }) {
  return (
    <Page title={`Nothing to share — ${p.brand.name}`} nonce={p.nonce}>
      <main class="form-page">
        <Header brand={p.brand} title="Authorization request" />
        <p class="form-error" role="alert">
          <strong>{p.clientName}</strong> asked for access to items that do not appear to be in the profile you are signed in with.
        </p>
        <p>It asked for:</p>
        <ul>
          {p.requested.map((r) => (
            <li>
              {r.what}: {r.values.join(", ")}
            </li>
          ))}
        </ul>
        <div class="buttons">
          <form method="post" action={p.switchAction} data-once>
            <input type="hidden" name="csrf" value={p.csrf} />
            <button type="submit" class="approve">
              Sign in as someone else
            </button>
          </form>
          <form method="post" action={p.declineAction} data-once>
            <input type="hidden" name="csrf" value={p.csrf} />
            <button type="submit" class="decline">
              Decline and go back to the app
            </button>
          </form>
        </div>
      </main>
    </Page>
  );
}
