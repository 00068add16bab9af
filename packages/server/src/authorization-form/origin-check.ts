/**
 * Refuses form posts that a page of another site sent, before the form's
 * CSRF token is even looked at: the Authorization Form, the sign-in page and
 * the receipt's "stop this access" button are only ever sent from this
 * Server's own pages. Browsers say where a post came from in `Sec-Fetch-Site`
 * (Fetch Metadata) and `Origin`; either naming anything but this Server's
 * own origin refuses it. A client that sends neither (an old browser, a
 * script) is left to the token. Pages are served with `Referrer-Policy:
 * same-origin` (render.tsx) so browsers send the real `Origin` on these posts
 * rather than `null`.
 */
import type { IncomingHttpHeaders } from "node:http";

/** Why the post is refused, or null when it may come from this Server's page. */
export function crossOriginRefusal(headers: IncomingHttpHeaders, ownOrigin: string): string | null {
  const site = headers["sec-fetch-site"];
  if (typeof site === "string" && site !== "same-origin") return `Sec-Fetch-Site: the form was sent from a ${site === "none" ? "place that is not a page" : `${site} page`}, not from this server's own page`;
  const origin = headers.origin;
  if (typeof origin === "string" && origin !== ownOrigin) return `Origin: the form was sent from ${origin === "null" ? "a page with no origin" : origin}, not from ${ownOrigin}`;
  return null;
}
