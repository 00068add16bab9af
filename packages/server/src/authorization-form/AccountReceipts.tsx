/** @jsxImportSource preact */
/**
 * The receipts page of the customer's account (CDS-WG3-01 §9.1.1: a customer
 * with an online account finds the receipt of each Grant there): every
 * receipt of the signed-in customer, newest first, with the app, the date,
 * the confirmation number and the Grant's status now.
 */
import type { Brand } from "./brand.js";
import { Header } from "./Header.js";
import { Page } from "./Page.js";
import { STATUS_WORDS } from "./Receipt.js";

export interface AccountReceiptRow {
  url: string;
  confirmation: string;
  createdAt: Date;
  clientName: string;
  status: string;
}

export interface AccountReceiptsProps {
  nonce: string;
  brand: Brand;
  signedInAs: string;
  receipts: AccountReceiptRow[];
  signOutAction: string;
  csrf: string;
}

export function AccountReceipts(p: AccountReceiptsProps) {
  return (
    <Page title={`Your authorization receipts — ${p.brand.name}`} nonce={p.nonce} noindex>
      <main class="form-page receipts">
        <Header brand={p.brand} title="Your authorization receipts" />
        <p>Signed in as {p.signedInAs}.</p>
        {p.receipts.length ? (
          <ul class="receipt-list">
            {p.receipts.map((r) => (
              <li>
                <a href={r.url}>
                  {r.clientName}, <time datetime={r.createdAt.toISOString()}>{r.createdAt.toUTCString()}</time>
                </a>
                <br />
                Confirmation number <span class="confirmation">{r.confirmation}</span>. {STATUS_WORDS[r.status] ?? r.status}.
              </li>
            ))}
          </ul>
        ) : (
          <p>You have not authorized any app yet.</p>
        )}
        <form method="post" action={p.signOutAction}>
          <input type="hidden" name="csrf" value={p.csrf} />
          <button type="submit" class="decline">
            Sign out
          </button>
        </form>
      </main>
    </Page>
  );
}
