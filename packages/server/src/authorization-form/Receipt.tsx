/** @jsxImportSource preact */
/**
 * The Authorization Receipt page (CDS-WG3-01 §9.4), loadable without signing
 * in and kept out of search results. An unauthenticated visitor sees counts,
 * not the customer's numbers; the client link is `noopener nofollow`. While
 * the Grant can still give access, a button stops it (revocation.ts).
 */
import type { Brand } from "./brand.js";
import { Header } from "./Header.js";
import { Page } from "./Page.js";
import type { ReceiptContent } from "./receipts.js";
import { hasChanges, type ReceiptChanges, type SelectionNow } from "./receipt-changes.js";

export const STATUS_WORDS: Record<string, string> = {
  active: "Active: the app can access what you approved",
  pending: "Being prepared: your data is being made available",
  needs_authorization: "Waiting for an approval",
  needs_sub_grants: "Waiting for other approvals",
  expired: "Ended: the authorization expired",
  revoked: "Ended: the authorization was stopped",
  disabled: "Paused by the utility",
  declined: "Declined",
};

export interface ReceiptProps {
  nonce: string;
  brand: Brand;
  confirmation: string;
  createdAt: Date;
  status: string;
  content: ReceiptContent;
  currentClientName: string | null;
  newerUrl: string | null;
  /** The "stop this access" form while the Grant can still give access (§9.4); null once it has ended. */
  revoke: { action: string; token: string } | null;
  /** Just revoked from this page: say so. */
  revokedNow: boolean;
  /** What differs now from what was approved (§9.4), each part only when it changed. */
  changes: ReceiptChanges;
  /** The owner is signed in: the customer's own numbers are shown; otherwise only counts and a sign-in link (§9.4). */
  ownerSignedIn: boolean;
  /** Where an unauthenticated visitor signs in to see the hidden numbers; null when sign-in is not offered. */
  signInUrl: string | null;
}

/** One selection list: the numbers for the signed-in owner, otherwise how many, with the sign-in link. */
function SelectionWords({ s, owner, signInUrl }: { s: SelectionNow; owner: boolean; signInUrl: string | null }) {
  const count = `${s.numbers.length} ${s.numbers.length === 1 ? s.one : s.what} selected.`;
  const future = s.includeFuture ? ` Future ${s.what} you add are included too.` : "";
  if (owner) {
    return (
      <>
        <p>
          {count}
          {future}
        </p>
        {s.numbers.length ? (
          <ul class="selected-numbers">
            {s.numbers.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        ) : null}
      </>
    );
  }
  return (
    <p>
      {count}
      {future} {signInUrl ? <a href={signInUrl}>Sign in to see which</a> : "Sign in to your utility account to see which"}.
    </p>
  );
}

export function Receipt(p: ReceiptProps) {
  const c = p.content;
  return (
    <Page title={`Authorization receipt ${p.confirmation} — ${p.brand.name}`} nonce={p.nonce} noindex>
      <main class="form-page receipt">
        <Header brand={p.brand} title="Authorization receipt" />
        {p.newerUrl ? (
          <p class="form-error" role="status">
            This receipt has been replaced by a newer one: <a href={p.newerUrl}>see the latest receipt</a>.
          </p>
        ) : null}
        <dl>
          <dt>Current status</dt>
          <dd data-status={p.status}>{STATUS_WORDS[p.status] ?? p.status}</dd>
          <dt>Confirmation number</dt>
          <dd class="confirmation">{p.confirmation}</dd>
          <dt>Date</dt>
          <dd>
            <time datetime={p.createdAt.toISOString()}>{p.createdAt.toUTCString()}</time>
          </dd>
          <dt>Who you authorized</dt>
          <dd>
            {c.clientUri ? (
              <a href={c.clientUri} target="_blank" rel="noopener nofollow noreferrer">
                {c.clientName}
              </a>
            ) : (
              c.clientName
            )}
            {p.currentClientName && p.currentClientName !== c.clientName ? ` (now called ${p.currentClientName})` : null}
          </dd>
        </dl>
        {c.sections.map((s, i) => (
          <section class="request" aria-label={`What you approved, part ${i + 1}`}>
            <h2>What you approved</h2>
            <ul>
              {s.data.map((d) => (
                <li>Access to {d}</li>
              ))}
            </ul>
            <h3>For how long</h3>
            <ul>
              {s.durations.map((d) => (
                <li>{d}.</li>
              ))}
            </ul>
            <h3>For these {s.selection.what}</h3>
            <SelectionWords s={{ what: s.selection.what, one: s.selection.one, numbers: s.selection.numbers, includeFuture: s.selection.includeFuture }} owner={p.ownerSignedIn} signInUrl={p.signInUrl} />
            {s.purpose ? (
              <>
                <h3>For this purpose</h3>
                <p class="purpose-author">{s.purpose.byClient ? `Written by ${c.clientName}:` : "Standard purpose set by your utility:"}</p>
                <div class="purpose-content" tabIndex={0}>
                  {s.purpose.content}
                  {s.purpose.relatedUri ? (
                    <>
                      {" "}
                      <a href={s.purpose.relatedUri} target="_blank" rel="noopener nofollow noreferrer">
                        {s.purpose.relatedName}
                      </a>
                    </>
                  ) : null}
                </div>
              </>
            ) : null}
          </section>
        ))}
        {/* The name's change is told beside the name above ("now called …"). */}
        {hasChanges({ ...p.changes, clientName: undefined }) ? <Changes changes={{ ...p.changes, clientName: undefined }} brandName={p.brand.name} owner={p.ownerSignedIn} signInUrl={p.signInUrl} /> : null}
        {c.tosUri ? (
          <p>
            Under these terms:{" "}
            <a href={c.tosUri} target="_blank" rel="noopener noreferrer">
              {p.brand.name} data sharing terms
            </a>
          </p>
        ) : null}
        {p.revokedNow ? (
          <p class="form-notice" role="status">
            You stopped this access. {c.clientName} can no longer get your data through this authorization.
          </p>
        ) : null}
        {p.revoke ? (
          <section class="revoke" aria-labelledby="revoke-title">
            <h2 id="revoke-title">Changed your mind?</h2>
            <p>You can stop this access now, without signing in. {c.clientName} will no longer get your data through it; data it already received is not recalled.</p>
            <form method="post" action={p.revoke.action}>
              <input type="hidden" name="csrf" value={p.revoke.token} />
              <button type="submit" class="decline" name="decision" value="revoke">
                Stop this access
              </button>
            </form>
          </section>
        ) : null}
        <p>
          Have a question?{" "}
          <a href={p.brand.support} target="_blank" rel="noopener noreferrer">
            Contact support
          </a>
        </p>
      </main>
    </Page>
  );
}

/** §9.4: each part that changed since approval, as it is now (the receipt above keeps it as approved). */
function Changes({ changes, brandName, owner, signInUrl }: { changes: ReceiptChanges; brandName: string; owner: boolean; signInUrl: string | null }) {
  return (
    <section class="changes" aria-labelledby="changes-title">
      <h2 id="changes-title">What has changed since you approved</h2>
      <p>This receipt shows the authorization as you approved it. These parts are different now:</p>
      <dl>
        {changes.clientName !== undefined ? (
          <>
            <dt>The app's name now</dt>
            <dd data-change="client_name">{changes.clientName}</dd>
          </>
        ) : null}
        {changes.clientUri !== undefined ? (
          <>
            <dt>The app's website now</dt>
            <dd data-change="client_uri">
              {changes.clientUri ? (
                <a href={changes.clientUri} target="_blank" rel="noopener nofollow noreferrer">
                  {changes.clientUri}
                </a>
              ) : (
                "No website given any more"
              )}
            </dd>
          </>
        ) : null}
        {changes.access !== undefined ? (
          <>
            <dt>What the app can access now</dt>
            <dd data-change="scope">
              {changes.access.length ? (
                <ul>
                  {changes.access.map((d) => (
                    <li>Access to {d}</li>
                  ))}
                </ul>
              ) : (
                "Nothing"
              )}
            </dd>
          </>
        ) : null}
        {changes.selection !== undefined ? (
          <>
            <dt>What is selected now</dt>
            <dd data-change="selection">
              {changes.selection.length
                ? changes.selection.map((s) => <SelectionWords s={s} owner={owner} signInUrl={signInUrl} />)
                : "Nothing"}
            </dd>
          </>
        ) : null}
        {changes.tosUri !== undefined ? (
          <>
            <dt>The terms now</dt>
            <dd data-change="terms">
              {changes.tosUri ? (
                <a href={changes.tosUri} target="_blank" rel="noopener noreferrer">
                  {brandName} data sharing terms (current version)
                </a>
              ) : (
                "No data sharing terms are published any more"
              )}
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
