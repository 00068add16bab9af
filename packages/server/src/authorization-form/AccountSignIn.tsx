/** @jsxImportSource preact */
/**
 * Sign-in to the customer's account pages (CDS-WG3-01 §9.4): reached from a
 * receipt's "sign in to see which" link, or for the receipts list. It shows
 * nothing of any customer before the password is checked.
 */
import type { Brand } from "./brand.js";
import { Footer } from "./Footer.js";
import { Header } from "./Header.js";
import { Page } from "./Page.js";
import { SignInForm } from "./SignInForm.js";

export interface AccountSignInProps {
  nonce: string;
  brand: Brand;
  action: string;
  /** The local page to go back to after signing in. */
  returnTo: string;
  csrf: string;
  failed: boolean;
  username: string;
}

export function AccountSignIn(p: AccountSignInProps) {
  return (
    <Page title={`Sign in — ${p.brand.name}`} nonce={p.nonce}>
      <main class="form-page">
        <Header brand={p.brand} title="Sign in to your account" />
        <p>Sign in to see your authorization receipts in full, with the account, service and meter numbers they keep hidden from anyone else.</p>
        <SignInForm action={p.action} csrf={p.csrf} failed={p.failed} username={p.username} hidden={{ return: p.returnTo }} />
        <p>
          <a href={p.returnTo}>Go back without signing in</a>
        </p>
        <Footer brand={p.brand} signedInAs={null} switchAction={null} csrf={p.csrf} />
      </main>
    </Page>
  );
}
