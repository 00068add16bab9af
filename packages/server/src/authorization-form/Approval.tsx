/** @jsxImportSource preact */
/**
 * Approval Section (CDS-WG3-01 §9.2.1.6): two prominent, clearly different
 * buttons. Decline needs nothing filled in (`formnovalidate`); the script
 * disables both after the first press, and the server accepts one
 * submission per interaction whatever the browser does.
 */
export function Approval({ errorSummary }: { errorSummary: string | null }) {
  return (
    <section class="approval" aria-label="Your decision">
      {errorSummary ? (
        <p class="form-error" role="alert">
          {errorSummary}
        </p>
      ) : null}
      <div class="buttons">
        <button type="submit" name="decision" value="approve" class="approve">
          Approve
        </button>
        <button type="submit" name="decision" value="decline" class="decline" formNoValidate>
          Decline
        </button>
      </div>
      <p class="note">Approve shares what is ticked above and sends you back to the app. Decline shares nothing and sends you back to the app.</p>
    </section>
  );
}
