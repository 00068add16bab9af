/**
 * Rules for the URLs a Client submits (registration, CDS-WG1-02 §4.1; PUT,
 * §5.5). Redirect URIs decide where authorization codes go, so they follow
 * RFC 6749 §3.1.2 (absolute, no fragment), RFC 9700 §4.1 and §2.6 (https;
 * no userinfo, which hides the real host) and RFC 8252 §7 (native apps:
 * http only on a loopback IP literal, or a private-use scheme in reverse
 * domain form such as `com.example.app:/cb`). URLs a page will link or fetch
 * (`client_uri`, `logo_uri`, `tos_uri`, `policy_uri`, `jwks_uri`) take https,
 * or http on loopback, so no `javascript:` or `data:` URL ever reaches an
 * `href`. `localhost` is refused on purpose (RFC 8252 §8.3: it may resolve
 * elsewhere). See the server README, "URL rules".
 */

export interface UrlViolation {
  pointer: string;
  rule: string;
  message: string;
}

/** URL fields that pages link or the Server fetches. */
export const linkedUrlFields = ["client_uri", "logo_uri", "tos_uri", "policy_uri", "jwks_uri"] as const;

/** Schemes that run code or read local data wherever they appear, in any case. */
const forbiddenSchemes = new Set(["javascript:", "data:", "vbscript:", "file:", "blob:", "about:"]);

function isLoopbackHost(hostname: string): boolean {
  if (hostname === "[::1]") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function parse(value: string, pointer: string): URL | UrlViolation {
  if (!URL.canParse(value)) return { pointer, rule: "absolute-uri", message: `${pointer}: must be an absolute URI` };
  return new URL(value);
}

export function redirectUriViolation(value: string, pointer: string): UrlViolation | null {
  const url = parse(value, pointer);
  if (!(url instanceof URL)) return url;
  if (value.includes("#")) return { pointer, rule: "no-fragment", message: `${pointer}: must not contain a fragment (RFC 6749 §3.1.2)` };
  if (url.username || url.password) return { pointer, rule: "no-userinfo", message: `${pointer}: must not contain userinfo (RFC 9700 §4.1)` };
  if (forbiddenSchemes.has(url.protocol)) return { pointer, rule: "redirect-scheme", message: `${pointer}: the ${url.protocol} scheme is not allowed` };
  if (url.protocol === "https:") return url.hostname ? null : { pointer, rule: "absolute-uri", message: `${pointer}: must name a host` };
  if (url.protocol === "http:") {
    return isLoopbackHost(url.hostname) ? null : { pointer, rule: "https", message: `${pointer}: must use https, except on a loopback IP address such as 127.0.0.1 (RFC 9700 §2.6, RFC 8252 §7.3)` };
  }
  // RFC 8252 §7.1: a private-use scheme is a reverse domain name (it holds a dot).
  if (/^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/.test(url.protocol)) return null;
  return { pointer, rule: "redirect-scheme", message: `${pointer}: must use https, http on loopback, or a private-use scheme in reverse domain form (RFC 8252 §7.1)` };
}

export function linkedUrlViolation(value: string, pointer: string): UrlViolation | null {
  const url = parse(value, pointer);
  if (!(url instanceof URL)) return url;
  if (url.username || url.password) return { pointer, rule: "no-userinfo", message: `${pointer}: must not contain userinfo` };
  if (url.protocol === "https:" && url.hostname) return null;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return null;
  return { pointer, rule: "https", message: `${pointer}: must be an https URL (or http on a loopback IP address)` };
}

/** The first violation among a Client's submitted URL fields, or null. */
export function clientUrlViolation(fields: Record<string, unknown>): UrlViolation | null {
  const redirectUris = Array.isArray(fields.redirect_uris) ? (fields.redirect_uris as unknown[]) : [];
  for (const [i, uri] of redirectUris.entries()) {
    if (typeof uri !== "string") continue;
    const v = redirectUriViolation(uri, `/redirect_uris/${i}`);
    if (v) return v;
  }
  for (const field of linkedUrlFields) {
    const value = fields[field];
    if (typeof value !== "string") continue;
    const v = linkedUrlViolation(value, `/${field}`);
    if (v) return v;
  }
  const defaultUri = fields.cds_default_redirect_uri;
  if (typeof defaultUri === "string" && !redirectUris.includes(defaultUri)) {
    return { pointer: "/cds_default_redirect_uri", rule: "in-redirect-uris", message: "/cds_default_redirect_uri: must be one of redirect_uris" };
  }
  return null;
}
