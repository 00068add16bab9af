/** Small helpers for writing Markdown that VitePress (markdown-it + Vue templates) reads literally. */

/**
 * Text from the contract, safe in a VitePress page: outside `code spans`,
 * `<`, `>`, `{` and `}` are escaped (Vue would read them as tags or
 * interpolation). Inline code is left alone: markdown-it escapes it itself.
 */
export function text(value: unknown): string {
  return String(value ?? "")
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith("`") && part.endsWith("`") && part.length > 1 ? part : escapeHtml(part)))
    .join("");
}

/** Text for a table cell: one line, pipes escaped. */
export function cell(value: unknown): string {
  return text(value).replace(/\r?\n\s*/g, " ").replace(/\|/g, "\\|");
}

function escapeHtml(value: string): string {
  return value.replace(/&(?![a-z]+;|#\d+;)/gi, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\{/g, "&#123;").replace(/\}/g, "&#125;");
}

/** A fenced code block whose fence is longer than any backtick run inside. */
export function codeBlock(body: string, language = ""): string {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${body}\n${fence}`;
}

/** The slug an ERRATA ID gets as an anchor on the errata page: `E-WG1-02-1` → `e-wg1-02-1`. */
export function errataAnchor(id: string): string {
  return id.toLowerCase();
}

/** Front matter with a title (quoted as JSON, which YAML reads). */
export function frontMatter(fields: Record<string, string | number | boolean>): string {
  return `---\n${Object.entries(fields)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? JSON.stringify(v) : String(v)}`)
    .join("\n")}\n---\n`;
}
