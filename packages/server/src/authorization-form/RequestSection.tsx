/** @jsxImportSource preact */
/**
 * One Request Section (CDS-WG3-01 §9.2.1.4): Data, Duration, Selection and,
 * when the request names one, Purpose, in that order, for one scope or for
 * scopes merged with `merge_selection_with` (§7.4.2).
 */
import type { Purpose } from "@cds-toolkit/types";
import { DataComponent } from "./DataComponent.js";
import { DurationComponent } from "./DurationComponent.js";
import { PurposeComponent } from "./PurposeComponent.js";
import type { ScopeRequest } from "./request.js";
import { SelectionComponent, type SelectionProps } from "./SelectionComponent.js";

export interface RequestSectionProps {
  index: number;
  count: number;
  scopes: ScopeRequest[];
  selection: Omit<SelectionProps, "id">;
  purpose: { purpose: Purpose; serverDefault: boolean } | null;
  clientName: string;
}

export function RequestSection({ index, count, scopes, selection, purpose, clientName }: RequestSectionProps) {
  const id = `request-${index}`;
  return (
    <section class="request" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} class={count > 1 ? "" : "visually-hidden"}>
        Request {index + 1} of {count}
      </h2>
      <DataComponent scopes={scopes} id={id} />
      <DurationComponent scopes={scopes} id={id} />
      <SelectionComponent {...selection} id={id} />
      {purpose ? <PurposeComponent purpose={purpose.purpose} serverDefault={purpose.serverDefault} clientName={clientName} id={id} /> : null}
    </section>
  );
}
