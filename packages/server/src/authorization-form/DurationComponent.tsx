/** @jsxImportSource preact */
/**
 * Duration Component (CDS-WG3-01 §9.2.2.2): for how long and over which
 * dates, in plain words; equal statements of merged scopes are said once.
 */
import { LIST_WORDS } from "./data-words.js";
import { durationStatements } from "./durations.js";
import type { ScopeRequest } from "./request.js";

export function durationsOf(scopes: readonly ScopeRequest[]): string[] {
  const lists = scopes.map((s) => LIST_WORDS[s.rule.type]).filter((w): w is string => !!w);
  const listWhat = lists.length ? [...new Set(lists)].join(" and ") : null;
  const all = scopes.flatMap((s) => durationStatements(s.entry, LIST_WORDS[s.rule.type] ? listWhat : null));
  return [...new Set(all)];
}

export function DurationComponent({ scopes, id }: { scopes: readonly ScopeRequest[]; id: string }) {
  const statements = durationsOf(scopes);
  return (
    <div class="component duration">
      <h3 id={`${id}-duration`}>For how long</h3>
      <ul>
        {statements.map((s) => (
          <li>{s}.</li>
        ))}
      </ul>
    </div>
  );
}
