/**
 * spec/ERRATA.md as a page the working group can link to item by item: every
 * row of its tables gets an anchor named after its ID (`#e-wg1-02-1`).
 */
import { errataAnchor, frontMatter, text } from "./markdown.ts";
import type { Page } from "./reference-pages.ts";

export function errataPage(markdown: string): Page {
  const lines = markdown.split("\n").map((line) => {
    const row = /^\|\s*(E-[A-Z0-9-]+)\s*\|/.exec(line);
    const safe = text(line);
    if (!row) return safe;
    const id = row[1]!;
    return safe.replace(/^\|\s*E-[A-Z0-9-]+\s*\|/, `| <a id="${errataAnchor(id)}" href="#${errataAnchor(id)}">${id}</a> |`);
  });
  return { path: "errata.md", content: `${frontMatter({ title: "Errata and decisions", outline: false })}\n${lines.join("\n")}\n` };
}
