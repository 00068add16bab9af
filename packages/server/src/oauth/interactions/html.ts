/**
 * Server-rendered HTML for the customer-facing pages. Every value that is
 * not a literal of this file goes through `escapeHtml` (the `html` tag does
 * it for each interpolation), and pages carry headers that keep them out of
 * frames and caches.
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Markup that is already safe (built by `html`), so nesting does not escape twice. */
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

type Interpolation = SafeHtml | string | number | readonly (SafeHtml | string)[] | null | undefined | false;

/** A template tag that escapes every interpolated value except `SafeHtml` (and lists of it). */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out);
}

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((v) => render(v)).join("");
  return escapeHtml(value);
}

/**
 * Response headers for every page: no caching (they carry per-request
 * forms), no framing (clickjacking of the Approve button), no scripts at all,
 * no Referer (the URL holds the interaction uid). No `form-action` directive:
 * browsers apply it to the redirect that follows a POST, which here goes to
 * the client's redirect URI.
 */
export const pageHeaders = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
} as const;

const STYLE = `body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.5}
h1{font-size:1.4rem}label{display:block;margin-top:1rem}input[type=text],input[type=password]{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
button{margin-top:1.25rem;margin-right:.5rem;padding:.5rem 1.25rem;font-size:1rem}.error{color:#a00000;font-weight:600}.note{color:#555;font-size:.9rem}
ul{padding-left:1.25rem}form.inline{display:inline}`;

export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
${body}
</body>
</html>
`.value;
}
