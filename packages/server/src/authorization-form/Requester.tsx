/** @jsxImportSource preact */
/** Requester Section (CDS-WG3-01 §9.2.1.2): the Client's name, linked to its `client_uri` in a new tab with `noopener`. */
export function Requester({ clientName, clientUri }: { clientName: string; clientUri: string | null }) {
  const name = clientUri ? (
    <a href={clientUri} target="_blank" rel="noopener noreferrer">
      {clientName}
    </a>
  ) : (
    <strong>{clientName}</strong>
  );
  return (
    <section class="requester" aria-label="Who is asking">
      <p>{name} is asking for your permission to access the following information from your utility accounts.</p>
    </section>
  );
}
