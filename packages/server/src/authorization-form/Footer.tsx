/** @jsxImportSource preact */
/** Footer Section (CDS-WG3-01 §9.2.1.7): switch customer (sign in again), support, terms and privacy. */
import type { Brand } from "./brand.js";

export function Footer({ brand, signedInAs, switchAction, csrf }: { brand: Brand; signedInAs: string | null; switchAction: string | null; csrf: string }) {
  return (
    <footer class="footer">
      {signedInAs && switchAction ? (
        <form method="post" action={switchAction} class="inline">
          <input type="hidden" name="csrf" value={csrf} />
          Signed in as <strong>{signedInAs}</strong>. Not you, or another account?{" "}
          <button type="submit" class="link-button">
            Sign in as someone else
          </button>
        </form>
      ) : null}
      <p>
        Need help with this form?{" "}
        <a href={brand.support} target="_blank" rel="noopener noreferrer">
          Contact {brand.name} support
        </a>
      </p>
      <p>
        {brand.tosUri ? (
          <a href={brand.tosUri} target="_blank" rel="noopener noreferrer">
            Terms of service
          </a>
        ) : null}
        {brand.tosUri && brand.policyUri ? " · " : null}
        {brand.policyUri ? (
          <a href={brand.policyUri} target="_blank" rel="noopener noreferrer">
            Privacy policy
          </a>
        ) : null}
      </p>
    </footer>
  );
}
