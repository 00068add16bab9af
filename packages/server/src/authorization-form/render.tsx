/** @jsxImportSource preact */
/**
 * Renders a page component to a complete HTML response body with
 * preact-render-to-string (text and attributes escaped by default), and the
 * headers every customer-facing page carries: a strict CSP whose one nonce
 * admits the page's own style and script, no framing (`frame-ancestors
 * 'none'` and `X-Frame-Options: DENY`), no caching, and a Referer only to
 * this Server itself (so form posts carry their real `Origin` for
 * origin-check.ts, and nothing leaks to a Client's redirect URI).
 *
 * No `form-action` directive: browsers apply it to the redirect that follows
 * a POST, which goes to the Client's redirect URI.
 */
import { randomBytes } from "node:crypto";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";

export const newNonce = () => randomBytes(16).toString("base64");

export function pageHeaders(nonce: string): Record<string, string> {
  return {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy": `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src data:; base-uri 'none'; frame-ancestors 'none'`,
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
  };
}

export function renderPage(page: VNode): string {
  return `<!doctype html>\n${renderToString(page)}\n`;
}
