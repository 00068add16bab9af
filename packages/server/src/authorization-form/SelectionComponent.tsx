/** @jsxImportSource preact */
/**
 * Selection Component (CDS-WG3-01 §9.2.3): the signed-in customer's own
 * accounts, services, service locations or meters as checkboxes, with the
 * §7.1 preselections ticked, select/deselect all and "include future ones"
 * (§9.2.3.1, §9.2.3.2). Over 10 entries the list scrolls on its own and gets
 * a search box, a live count and a "show only selected" switch (script.ts);
 * when the request allows no changes (§7.4.5) the list is shown, not edited.
 */
import { SELECTION_WORDS } from "./data-words.js";
import type { SelectionList } from "./selection.js";

export interface SelectionProps {
  list: SelectionList;
  /** Form field name prefix of this Request Section. */
  name: string;
  editable: boolean;
  /** What was ticked when the form comes back with an error; else the preselections. */
  checked: Set<string>;
  futureChecked: boolean;
  error: string | null;
  id: string;
}

export function SelectionComponent({ list, name, editable, checked, futureChecked, error, id }: SelectionProps) {
  const words = SELECTION_WORDS[list.type]!;
  const long = list.entries.length > 10;
  const errorId = `${id}-selection-error`;
  return (
    <fieldset class={`component selection${error ? " has-error" : ""}`} data-selection={name} aria-describedby={error ? errorId : undefined} aria-invalid={error ? "true" : undefined}>
      <legend>{words.title}</legend>
      {error ? (
        <p class="field-error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
      {list.entries.length === 0 ? <p>You have no {words.plural} that can be shared for this request.</p> : null}
      {editable && list.entries.length > 1 ? (
        <p class="select-tools" hidden>
          <button type="button" class="link-button" data-select-all={name}>
            Select all
          </button>{" "}
          <button type="button" class="link-button" data-select-none={name}>
            Deselect all
          </button>
        </p>
      ) : null}
      {long ? (
        <div class="list-tools" hidden>
          <p class="count" aria-live="polite" data-count={name}>
            {checked.size} of {list.entries.length} {words.plural} selected
          </p>
          <label>
            Search {words.plural} <input type="search" data-search={name} autocomplete="off" />
          </label>
          <label class="inline">
            <input type="checkbox" data-only-selected={name} /> Show only selected
          </label>
        </div>
      ) : null}
      <ul class={long ? "entries scroll" : "entries"}>
        {list.entries.map((e) => {
          const inputId = `${name}-${e.id}`;
          return (
            <li data-entry={`${e.number} ${e.details.join(" ")}`.toLowerCase()}>
              <input type="checkbox" id={inputId} name={`${name}.selected`} value={e.id} checked={checked.has(e.id)} disabled={!editable} />
              <label for={inputId}>
                <span class="number">
                  {words.singular.replace(/^./, (c) => c.toUpperCase())} #{e.number}
                </span>
                {e.details.length ? <span class="entry-details"> – {e.details.join(" – ")}</span> : null}
              </label>
            </li>
          );
        })}
        {list.offersFuture ? (
          <li class="future">
            <input type="checkbox" id={`${name}-future`} name={`${name}.future`} value="yes" checked={futureChecked} disabled={!editable} />
            <label for={`${name}-future`}>Also any {words.plural} you add later</label>
          </li>
        ) : null}
      </ul>
      {!editable ? <p class="note">{`This request cannot be changed: you can approve it as it is, or decline it.`}</p> : null}
    </fieldset>
  );
}
