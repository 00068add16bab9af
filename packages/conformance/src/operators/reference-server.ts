/**
 * Operator hooks for the reference server (`@cds-toolkit/server`), through
 * the operator API it offers in-process (`server.operator`). Typed by shape
 * only, so the suite does not depend on the server package.
 */
import type { OperatorHooks, RequestResolution } from "./operator-hooks.js";

/** The part of the reference server's `ServerOperator` these hooks use. */
export interface ReferenceServerOperator {
  resolveRequest(input: RequestResolution): Promise<unknown>;
}

export function referenceServerOperatorHooks(operator: ReferenceServerOperator): OperatorHooks {
  return {
    name: "reference-server",
    async resolveRequest(resolution) {
      await operator.resolveRequest({ messageId: resolution.messageId, status: resolution.status, ...(resolution.description === undefined ? {} : { description: resolution.description }) });
    },
  };
}
