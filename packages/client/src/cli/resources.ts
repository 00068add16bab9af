/**
 * The resources `cds list` and `cds get` know, each tied to its contract
 * operation, so the accepted `--filter` names are read from the OpenAPI
 * document rather than written here.
 */
import { openapiDocuments } from "@cds-toolkit/schemas";
import type { CdsApi } from "../apis/cds-api.js";

export type TokenKind = "admin" | "customer";

export interface Resource {
  operationId: string;
  /** The contract document the operation is in. */
  document: "client-registration" | "customer-data";
  token: TokenKind;
  /** The field that identifies an item, shown first. */
  id: string;
  pages: (api: CdsApi, filters: Record<string, string | string[]>) => AsyncGenerator<Record<string, unknown>, void, undefined>;
  get?: (api: CdsApi, id: string) => Promise<unknown>;
}

const items = <T>(gen: AsyncGenerator<T, void, undefined>) => gen as unknown as AsyncGenerator<Record<string, unknown>, void, undefined>;

export const resources: Record<string, Resource> = {
  clients: { operationId: "listClients", document: "client-registration", token: "admin", id: "client_id", pages: (a, f) => items(a.clients.all(f)), get: (a, id) => a.clients.get(id) },
  credentials: { operationId: "listCredentials", document: "client-registration", token: "admin", id: "credential_id", pages: (a, f) => items(a.credentials.all(f)), get: (a, id) => a.credentials.get(id) },
  grants: { operationId: "listGrants", document: "client-registration", token: "admin", id: "grant_id", pages: (a, f) => items(a.grants.all(f)), get: (a, id) => a.grants.get(id) },
  messages: { operationId: "listMessages", document: "client-registration", token: "admin", id: "message_id", pages: (a, f) => items(allMessages(a, f)), get: (a, id) => a.messages.get(id) },
  accounts: { operationId: "listAccounts", document: "customer-data", token: "customer", id: "cds_account_id", pages: (a, f) => items(a.customerData.accounts.all(f)) },
  aggregations: { operationId: "listAggregations", document: "customer-data", token: "customer", id: "cds_aggregation_id", pages: (a, f) => items(a.customerData.aggregations.all(f)) },
  "bill-sections": { operationId: "listBillSections", document: "customer-data", token: "customer", id: "cds_billsection_id", pages: (a, f) => items(a.customerData.billSections.all(f)) },
  "bill-statements": { operationId: "listBillStatements", document: "customer-data", token: "customer", id: "cds_billstatement_id", pages: (a, f) => items(a.customerData.billStatements.all(f)) },
  "energy-attribute-certificates": { operationId: "listEnergyAttributeCertificates", document: "customer-data", token: "customer", id: "cds_eac_id", pages: (a, f) => items(a.customerData.energyAttributeCertificates.all(f)) },
  "meter-devices": { operationId: "listMeterDevices", document: "customer-data", token: "customer", id: "cds_meterdevice_id", pages: (a, f) => items(a.customerData.meterDevices.all(f)) },
  "service-contracts": { operationId: "listServiceContracts", document: "customer-data", token: "customer", id: "cds_servicecontract_id", pages: (a, f) => items(a.customerData.serviceContracts.all(f)) },
  "service-points": { operationId: "listServicePoints", document: "customer-data", token: "customer", id: "cds_servicepoint_id", pages: (a, f) => items(a.customerData.servicePoints.all(f)) },
  "usage-segments": { operationId: "listUsageSegments", document: "customer-data", token: "customer", id: "cds_usagesegment_id", pages: (a, f) => items(a.customerData.usageSegments.all(f)) },
};

async function* allMessages(api: CdsApi, filters: Record<string, string | string[]>) {
  for (const box of ["outstanding", "unread", "read"] as const) yield* api.messages.all(box, filters);
}

interface Parameter {
  name: string;
  in: string;
  description?: string;
}

/** The query parameters the contract gives a listing operation. */
export function filterNames(resource: Resource): string[] {
  const doc = openapiDocuments[resource.document] as unknown as { paths: Record<string, Record<string, { operationId?: string; parameters?: Parameter[] }>> };
  for (const operations of Object.values(doc.paths)) {
    for (const operation of Object.values(operations)) {
      if (operation.operationId === resource.operationId) return (operation.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
    }
  }
  return [];
}
