/** @jsxImportSource preact */
/** Closing Section (CDS-WG3-01 §9.2.1.5): only what the customer must read to approve: the terms they agree to. */
import type { Brand } from "./brand.js";

export function Closing({ brand }: { brand: Brand }) {
  if (!brand.tosUri) return null;
  return (
    <section class="closing" aria-label="Terms">
      <p>
        When you approve, you agree to the{" "}
        <a href={brand.tosUri} target="_blank" rel="noopener noreferrer">
          {brand.name} data sharing terms
        </a>
        .
      </p>
    </section>
  );
}
