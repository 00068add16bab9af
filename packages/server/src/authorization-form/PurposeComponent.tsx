/** @jsxImportSource preact */
/**
 * Purpose Component (CDS-WG3-01 §9.2.2.4): the Purpose's content as text
 * only, in a block of at most 10 lines that scrolls on its own
 * (`white-space: pre-wrap; word-break: break-word; overflow: scroll`, in
 * style.ts), said to be the Client's words unless it is a Server default.
 */
import type { Purpose } from "@cds-toolkit/types";

export function PurposeComponent({ purpose, clientName, serverDefault, id }: { purpose: Purpose; clientName: string; serverDefault: boolean; id: string }) {
  return (
    <div class="component purpose">
      <h3 id={`${id}-purpose`}>For this purpose</h3>
      <p class="purpose-author">{serverDefault ? "Standard purpose set by your utility:" : `Written by ${clientName}:`}</p>
      <div class="purpose-content" tabIndex={0} role="region" aria-labelledby={`${id}-purpose`}>
        {purpose.content}
        {purpose.related_uri ? (
          <>
            {" "}
            <a href={purpose.related_uri} target="_blank" rel="noopener noreferrer">
              {purpose.related_name}
            </a>
          </>
        ) : null}
      </div>
    </div>
  );
}
