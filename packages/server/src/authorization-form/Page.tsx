/** @jsxImportSource preact */
/**
 * The HTML document every customer-facing page shares: one stylesheet and
 * one script, each carrying the response's CSP nonce (no inline handlers),
 * and `noindex` where a page must stay out of search results (§9.4).
 */
import type { ComponentChildren } from "preact";
import { FORM_SCRIPT } from "./script.js";
import { STYLE } from "./style.js";

export interface PageProps {
  title: string;
  nonce: string;
  noindex?: boolean;
  children: ComponentChildren;
}

export function Page({ title, nonce, noindex, children }: PageProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {noindex ? <meta name="robots" content="noindex, nofollow" /> : null}
        <title>{title}</title>
        <style nonce={nonce} dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        {children}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: FORM_SCRIPT }} />
      </body>
    </html>
  );
}
