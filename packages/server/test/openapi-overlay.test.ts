/**
 * The reference server's own query parameters (`page_size`, `cursor`: Server
 * extensions, CDS-WG1-01 §6) are documented in an OpenAPI Overlay on the
 * spec's documents (packages/server/openapi/reference-server.overlay.json),
 * so typed clients of this server can use them while the spec contract stays
 * the spec's. This test applies the overlay and checks that it documents
 * exactly what the server's routes accept.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { openapiDocuments, type OpenApiModule } from "@cds-toolkit/schemas";
import { describe, expect, it } from "vitest";
import { pagingParameters } from "../src/routes/listing.ts";
import { pagination } from "../src/routes/server-metadata.ts";
import { MAX_PAGE_SIZE } from "../src/customer-data/listing-route.ts";
import { applyAction } from "./helpers/contract.ts";

interface Action {
  target: string;
  update: Array<{ name: string; in: string; schema: Record<string, unknown> }>;
  "x-cds-document": OpenApiModule;
}

const overlay = JSON.parse(await readFile(path.resolve(import.meta.dirname, "../openapi/reference-server.overlay.json"), "utf8")) as { overlay: string; actions: Action[] };

/** Applies one action of the `$.paths['<path>'].<method>.parameters` form (the only one the overlay uses); appends, as Overlay 1.0 does for arrays. */
function apply(document: any, action: Action): { operationId: string; parameters: Array<{ name: string; in: string; schema: unknown }> } {
  const match = /^\$\.paths\['([^']+)'\]\.([a-z]+)\.parameters$/.exec(action.target);
  expect(match, action.target).not.toBeNull();
  const operation = document.paths[match![1]!]?.[match![2]!];
  expect(operation, action.target).toBeDefined();
  return { operationId: operation.operationId, parameters: [...(operation.parameters ?? []), ...action.update] };
}

describe("reference-server OpenAPI overlay", () => {
  it("is an Overlay 1.0 document whose targets all exist in the spec's documents", () => {
    expect(overlay.overlay).toBe("1.0.0");
    expect(overlay.actions.length).toBeGreaterThanOrEqual(6);
    for (const action of overlay.actions) expect(() => applyAction(structuredClone(openapiDocuments[action["x-cds-document"]]), action)).not.toThrow();
  });

  it("adds responses only where the spec's document has none for that status", () => {
    for (const action of overlay.actions.filter((a) => a.target.endsWith(".responses"))) {
      const [, route = "", method = ""] = /^\$\.paths\['([^']+)'\]\.([a-z]+)\./.exec(action.target)!;
      const declared = Object.keys((openapiDocuments[action["x-cds-document"]] as any).paths[route][method].responses);
      expect(Object.keys(action.update as object).filter((status) => declared.includes(status)), action.target).toEqual([]);
    }
  });

  it("documents page_size and cursor exactly as each listing route validates them, without clashing with the spec's parameters", () => {
    const documented = new Map<string, Record<string, unknown>>();
    for (const action of overlay.actions.filter((a) => a.target.endsWith(".parameters"))) {
      const { operationId, parameters } = apply(structuredClone(openapiDocuments[action["x-cds-document"]]), action);
      const names = parameters.filter((p) => p.in === "query").map((p) => p.name);
      expect(new Set(names).size, `${operationId}: duplicate query parameters`).toBe(names.length);
      documented.set(operationId, Object.fromEntries(action.update.map((p) => [p.name, p.schema])));
    }
    for (const op of ["listClients", "listCredentials", "listGrants", "listMessages", "listServerProvidedFiles"]) {
      expect(documented.get(op), op).toEqual(pagingParameters);
    }
    expect(documented.get("listCoverageEntries")).toEqual({
      page_size: { type: "integer", minimum: 1, maximum: pagination.maxPageSize },
      cursor: pagingParameters.cursor,
    });
    // The nine Customer Data listings (CDS-WG3-01 §10; customer-data/listing-route.ts, E-WG3-01-251).
    for (const op of ["listAccounts", "listServiceContracts", "listServicePoints", "listMeterDevices", "listBillStatements", "listBillSections", "listAggregations", "listUsageSegments", "listEnergyAttributeCertificates"]) {
      expect(documented.get(op), op).toEqual({ page_size: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE }, cursor: { type: "string", minLength: 1 } });
    }
  });
});
