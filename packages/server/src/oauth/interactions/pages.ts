/**
 * The login and consent pages of the authorization-code flow. Forms POST to
 * paths under the interaction's own URL, so oidc-provider's interaction
 * cookie (path-scoped to that URL, SameSite=Lax) comes along and binds the
 * submission to the browser that started the request.
 */
import { html, page, type SafeHtml } from "./html.js";
import type { AuthorizationDetail } from "../consent-details.js";
import { consentScopeRule } from "../../customer-data/scopes/consent.js";

const scopeDescriptions: Record<string, string> = new Proxy({}, { get: (_t, scope: string) => consentScopeRule(scope)?.summary });
const sandboxDetailFields: Record<string, string> = {};

export interface LoginPageInput {
  uid: string;
  clientName: string;
  /** Shown after a failed attempt; never says whether the username or the password was wrong. */
  failed?: boolean;
  username?: string;
}

export function loginPage({ uid, clientName, failed, username }: LoginPageInput): string {
  return page(
    "Sign in — Demo Gas & Electric",
    html`<h1>Sign in to Demo Gas &amp; Electric</h1>
<p><strong>${clientName}</strong> wants to access your account. Sign in to continue.</p>
${failed ? html`<p class="error" role="alert">The username or password is incorrect.</p>` : null}
<form method="post" action="/oauth/interaction/${uid}/login" autocomplete="off">
<label>Username <input type="text" name="username" value="${username ?? ""}" required autofocus></label>
<label>Password <input type="password" name="password" required></label>
<button type="submit">Sign in</button>
</form>
<form method="post" action="/oauth/interaction/${uid}/abort" class="inline"><button type="submit">Cancel</button></form>
<p class="note">Sandbox: use one of the demo customer accounts listed in the server's README.</p>`,
  );
}

export interface ConsentPageInput {
  uid: string;
  clientName: string;
  customerName: string;
  scopes: string[];
  authorizationDetails: AuthorizationDetail[];
}

export function consentPage({ uid, clientName, customerName, scopes, authorizationDetails }: ConsentPageInput): string {
  return page(
    "Allow access — Demo Gas & Electric",
    html`<h1>Allow ${clientName} to access your data?</h1>
<p>Signed in as <strong>${customerName}</strong>.</p>
<p><strong>${clientName}</strong> asks for:</p>
<ul>${scopes.map((s) => html`<li>${scopeDescriptions[s] ?? s}</li>`)}</ul>
${authorizationDetails.length ? html`<p>Limited to:</p><ul>${authorizationDetails.map(describeDetail)}</ul>` : null}
<form method="post" action="/oauth/interaction/${uid}/confirm" class="inline"><button type="submit" name="decision" value="approve">Approve</button></form>
<form method="post" action="/oauth/interaction/${uid}/abort" class="inline"><button type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}

function describeDetail(detail: AuthorizationDetail): SafeHtml {
  const filters = Object.entries(detail)
    .filter(([key]) => key !== "type")
    .map(([key, value]) => html`<li>${sandboxDetailFields[key] ?? key}: ${Array.isArray(value) ? value.join(", ") : "all"}</li>`);
  return html`<li>${scopeDescriptions[detail.type] ?? detail.type}${filters.length ? html`<ul>${filters}</ul>` : html` (no further limits)`}</li>`;
}

export function errorPage(message: string): string {
  return page("Request not valid — Demo Gas & Electric", html`<h1>This request cannot continue</h1><p>${message}</p><p>Go back to the application and start again.</p>`);
}
