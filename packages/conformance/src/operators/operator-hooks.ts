/**
 * What the Server's operator does between a Client's requests: a Server
 * reviews some requests by hand (CDS-WG1-02 §5.5, §6.3, §6.9), which no
 * HTTP call of a Client can stand in for. A Server under test plugs in hooks
 * that do it (an admin API, a database, a person at a prompt); without them
 * the scenarios that need an operator are reported skipped, saying why.
 */

/** How a request ends (CDS-WG1-02 §6.3): `complete` carries it out, `rejected` leaves everything as it was. */
export interface RequestResolution {
  /** The pending request Message (`field_changes`, `production_request`, …). */
  messageId: string;
  status: "complete" | "rejected";
  /** Why, for the Client to read: required to reject (§6.3). */
  description?: string;
}

export interface OperatorHooks {
  readonly name: string;
  /** Resolves a pending request as the Server's operator would; resolves once the Server has written the outcome. */
  resolveRequest(resolution: RequestResolution): Promise<void>;
}
