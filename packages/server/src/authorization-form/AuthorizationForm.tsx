/** @jsxImportSource preact */
/**
 * The Authorization Form (CDS-WG3-01 §9.2): one page, its sections in the
 * order §9.2.1 fixes: Header, Requester, Requests Container, Closing,
 * Approval, Footer.
 */
import type { Brand } from "./brand.js";
import { Approval } from "./Approval.js";
import { Closing } from "./Closing.js";
import { Footer } from "./Footer.js";
import { Header } from "./Header.js";
import { Page } from "./Page.js";
import { RequestSection, type RequestSectionProps } from "./RequestSection.js";
import { Requester } from "./Requester.js";

export interface AuthorizationFormProps {
  nonce: string;
  brand: Brand;
  clientName: string;
  clientUri: string | null;
  sections: Omit<RequestSectionProps, "index" | "count" | "clientName">[];
  action: string;
  switchAction: string;
  csrf: string;
  signedInAs: string;
  errorSummary: string | null;
}

export function AuthorizationForm(p: AuthorizationFormProps) {
  return (
    <Page title={`${p.brand.name} authorization request`} nonce={p.nonce}>
      <main class="form-page">
        <Header brand={p.brand} title="Authorization request" />
        <form method="post" action={p.action} id="authorization-form" data-once>
          <input type="hidden" name="csrf" value={p.csrf} />
          <Requester clientName={p.clientName} clientUri={p.clientUri} />
          <div class="requests">
            {p.sections.map((s, i) => (
              <RequestSection {...s} index={i} count={p.sections.length} clientName={p.clientName} />
            ))}
          </div>
          <Closing brand={p.brand} />
          <Approval errorSummary={p.errorSummary} />
        </form>
        <Footer brand={p.brand} signedInAs={p.signedInAs} switchAction={p.switchAction} csrf={p.csrf} />
      </main>
    </Page>
  );
}
