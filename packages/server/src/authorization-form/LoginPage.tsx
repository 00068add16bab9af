/** @jsxImportSource preact */
/**
 * Customer sign-in (CDS-WG3-01 §9.1.2), before anything of the customer is
 * shown: only the Client's name and what it asks for in general words.
 * Cancel is the way back when signing in fails: the Client gets
 * `access_denied`.
 */
import type { Brand } from "./brand.js";
import { Footer } from "./Footer.js";
import { Header } from "./Header.js";
import { Page } from "./Page.js";
import { SignInForm } from "./SignInForm.js";

export interface LoginPageProps {
  nonce: string;
  brand: Brand;
  clientName: string;
  asks: string[];
  action: string;
  cancelAction: string;
  csrf: string;
  failed: boolean;
  username: string;
}

export function LoginPage(p: LoginPageProps) {
  return (
    <Page title={`Sign in — ${p.brand.name}`} nonce={p.nonce}>
      <main class="form-page">
        <Header brand={p.brand} title="Sign in to review an authorization request" />
        <p>
          <strong>{p.clientName}</strong> is asking to access {p.asks.join(", ")}. Sign in to see the request and decide.
        </p>
        <SignInForm action={p.action} csrf={p.csrf} failed={p.failed} username={p.username} />
        <form method="post" action={p.cancelAction} data-once>
          <input type="hidden" name="csrf" value={p.csrf} />
          <button type="submit" class="decline">
            Cancel and go back to the app
          </button>
        </form>
        <p class="note">Sandbox: sign in with a demo customer listed in the server's README.</p>
        <Footer brand={p.brand} signedInAs={null} switchAction={null} csrf={p.csrf} />
      </main>
    </Page>
  );
}
