/**
 * How an operator answers a CDS-WG1-02 §6 request, apart from the database:
 * the public `@cds-toolkit/server` types name these, so they must not reach
 * drizzle's types (tools/checks/consumer-install.test.ts).
 */
import type { ClientMessageType } from "@cds-toolkit/types";

export type RequestResolution = "complete" | "rejected" | "errored";

/** §6.3: the final statuses each kind of request may take; other types are not requests the Server resolves. */
export const resolutionsByType: Partial<Record<ClientMessageType, readonly RequestResolution[]>> = {
  field_changes: ["complete", "rejected", "errored"],
  production_request: ["complete", "rejected"],
  grant_request: ["complete", "rejected"],
  support_request: ["complete"],
};

export interface ResolveRequestInput {
  messageId: string;
  status: RequestResolution;
  /** Shown to the Client in the reply; required to reject (§6.3 asks for the reason). */
  description?: string;
  /**
   * Completing a `grant_request`: the Grants made for it (§6.9 completes a
   * request only once its Grants exist; this server does not make Grants from
   * requests itself, spec/ERRATA.md E-WG1-02-25).
   */
  grantIds?: readonly string[];
}

export type ResolutionRule =
  | "unknown-message"
  | "not-a-request"
  | "already-resolved"
  | "status-not-allowed"
  | "description-required"
  | "grants-required"
  | "unknown-grant"
  | "grant-for-another-client"
  | "unknown-client";

/** A resolution refused before anything changed; `rule` names what it broke. */
export class RequestResolutionError extends Error {
  readonly rule: ResolutionRule;
  constructor(rule: ResolutionRule, message: string) {
    super(message);
    this.name = "RequestResolutionError";
    this.rule = rule;
  }
}
