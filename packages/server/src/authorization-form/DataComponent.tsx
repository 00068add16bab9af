/** @jsxImportSource preact */
/**
 * Data Component (CDS-WG3-01 §9.2.2.1): a short summary of the data, and a
 * toggle (a native `details` element, keyboard operable without script)
 * listing each kind of data with an example.
 */
import { INCLUDED_WORDS, SCOPE_DATA } from "./data-words.js";
import type { ScopeRequest } from "./request.js";

export function dataItems(scopes: readonly ScopeRequest[]): { words: string; example: string }[] {
  const items: { words: string; example: string }[] = [];
  const seen = new Set<string>();
  for (const s of scopes) {
    const base = SCOPE_DATA[s.rule.type]!;
    if (!seen.has(base.words)) items.push(base), seen.add(base.words);
    for (const [field, value] of Object.entries(s.entry)) {
      const words = INCLUDED_WORDS[field];
      if (value === true && words && !seen.has(words.words)) items.push(words), seen.add(words.words);
    }
  }
  return items;
}

export function DataComponent({ scopes, id }: { scopes: readonly ScopeRequest[]; id: string }) {
  const items = dataItems(scopes);
  const [first, ...rest] = items;
  return (
    <div class="component data">
      <h3 id={`${id}-data`}>What you would share</h3>
      <p>
        Access to {first!.words}
        {rest.length ? `, with ${rest.map((i) => i.words).join(", ")}` : ""}.
      </p>
      <details>
        <summary>See details</summary>
        <ul>
          {items.map((i) => (
            <li>
              {i.words} <span class="example">(for example: {i.example})</span>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
