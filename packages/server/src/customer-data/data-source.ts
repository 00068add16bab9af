/**
 * The boundary between the Customer Data APIs (CDS-WG3-01 §10) and wherever a
 * utility keeps its customer data. Handlers read only through this interface;
 * the reference implementation (./database-source.ts) keeps the data in the
 * server's database, and a utility plugs in its own (its billing system, its
 * meter data warehouse) by implementing the same two methods.
 *
 * Every object type is the generated one from `@cds-toolkit/types`, and the
 * filter names of each listing come from the generated OpenAPI operation, so a
 * contract change shows up here as a type error rather than drift.
 *
 * Visibility is the caller's job: the route decides from the token's scope and
 * its Grant which customers' objects (and which ids) may appear, and passes
 * that as `owners`/`visibleIds`; a data source only has to honour them.
 */
import type {
  Account,
  Aggregation,
  BillSection,
  BillStatement,
  CustomerDataApi,
  EnergyAttributeCertificate,
  MeterDevice,
  ServiceContract,
  ServicePoint,
  UsageSegment,
} from "@cds-toolkit/types";

type Operations = CustomerDataApi.operations;

/** Each listing of §10: its object type and the generated operation it serves. */
export interface CustomerDataKinds {
  accounts: { object: Account; operation: Operations["listAccounts"] };
  service_contracts: { object: ServiceContract; operation: Operations["listServiceContracts"] };
  service_points: { object: ServicePoint; operation: Operations["listServicePoints"] };
  meter_devices: { object: MeterDevice; operation: Operations["listMeterDevices"] };
  bill_statements: { object: BillStatement; operation: Operations["listBillStatements"] };
  bill_sections: { object: BillSection; operation: Operations["listBillSections"] };
  aggregations: { object: Aggregation; operation: Operations["listAggregations"] };
  usage_segments: { object: UsageSegment; operation: Operations["listUsageSegments"] };
  energy_attribute_certificates: { object: EnergyAttributeCertificate; operation: Operations["listEnergyAttributeCertificates"] };
}

export type CustomerDataKind = keyof CustomerDataKinds;

/** The kinds in §10 order. */
export const customerDataKinds = [
  "accounts",
  "service_contracts",
  "service_points",
  "meter_devices",
  "bill_statements",
  "bill_sections",
  "aggregations",
  "usage_segments",
  "energy_attribute_certificates",
] as const satisfies readonly CustomerDataKind[];

export type CustomerDataObject<K extends CustomerDataKind> = CustomerDataKinds[K]["object"];

/** The query parameters the contract defines for kind K's listing. */
export type ListingParameters<K extends CustomerDataKind> = NonNullable<CustomerDataKinds[K]["operation"]["parameters"]["query"]>;

/** The list-valued filters of kind K (every parameter but the search term and the date bounds). */
export type ListFilterName<K extends CustomerDataKind> = Exclude<keyof ListingParameters<K> & string, "q" | "before" | "after">;

/** A position in a listing's total order: the section's ordering key, then the object id. */
export interface ListPosition {
  /** The ordering key as text that sorts like the key itself (ISO dates and datetimes do). */
  key: string;
  id: string;
}

export interface ListRequest<K extends CustomerDataKind> {
  /**
   * Only objects of these customers may appear (the customer's own ids, as in
   * `customers.account_id`). `undefined` means any customer: direct access
   * (§6.2), where the Server itself decides what its own Clients see.
   */
  owners?: readonly string[];
  /** When set, only objects with these ids may appear (a Grant's selections, §7.1). */
  visibleIds?: readonly string[];
  /** Each listed filter keeps objects matching any of its values; filters intersect. */
  filters?: Partial<Record<ListFilterName<K>, readonly string[]>>;
  /**
   * The section's `after`/`before` bounds as ISO text (dates for bill
   * statements and sections, datetimes for usage segments and EACs).
   */
  after?: string;
  before?: string;
  /** When set, objects whose `cds_created` is later are left out (a Grant's §7.3.1 `sync_until`). */
  createdUntil?: string;
  /** `q`: a case-insensitive substring, matched only in the named fields (the ones the token may see). */
  search?: { term: string; fields: readonly string[] };
  /** Continue after (`next`) or before (`previous`) this position. */
  cursor?: ListPosition & { direction: "next" | "previous" };
  /** Page size, 1–100. */
  limit: number;
}

/**
 * A Usage Segment's JSON in two parts (./segment-json.ts): the head (every
 * field but `values`) and the Value Sets' cells, each cell's JSON joined by a
 * tab within a row and rows by a newline.
 */
export interface SegmentJson {
  head: string;
  cells: string;
  /**
   * Optional: names the cells' content (the same key, the same cells), so a
   * listing may reuse what it built from them on an earlier request.
   */
  key?: string;
}

export interface ListedObject<K extends CustomerDataKind> {
  object: CustomerDataObject<K>;
  /**
   * Optional, Usage Segments only: `object` as JSON parts that were checked
   * against the strict UsageSegment schema when stored. The listing then
   * copies the cells instead of serialising `object` (whose `values` a source
   * may build lazily). A source that gives it keeps it equal to `object`.
   */
  segmentJson?: SegmentJson;
  position: ListPosition;
  /** The customer the object belongs to (null for objects of no one customer, such as a utility-wide Aggregation). */
  owner: string | null;
}

export interface ListPage<K extends CustomerDataKind> {
  items: ListedObject<K>[];
  /**
   * Whether objects follow the last item (`next`) and precede the first
   * (`previous`), under the same request. An empty page reached by a cursor
   * answers for the cursor's side of it, the cursor's own object included:
   * a listing merging several Grants' pages needs that from each.
   */
  hasNext: boolean;
  hasPrevious: boolean;
}

/**
 * A customer's resources as the Authorization Form (CDS-WG3-01 §9.2.3)
 * offers them for selection and as visibility rules walk them: Accounts →
 * Service Contracts (`cds_account_id`) → Service Points
 * (`current_servicecontracts`/`previous_servicecontracts`) → Meter Devices
 * (`current_servicepoints`/`previous_servicepoints`). Aggregations the
 * customer's resources are grouped in come along for §9.2.3.5.
 */
export interface CustomerResourceGraph {
  customer: string;
  accounts: Account[];
  serviceContracts: ServiceContract[];
  servicePoints: ServicePoint[];
  meterDevices: MeterDevice[];
  aggregations: Aggregation[];
}

export interface CustomerDataSource {
  /** One page of kind K in the section's order (§10.x "Listing …"), honouring every restriction in the request. */
  list<K extends CustomerDataKind>(kind: K, request: ListRequest<K>): Promise<ListPage<K>>;
  /** The customer's resource graph; empty lists for a customer with no data. */
  resourceGraph(customer: string): Promise<CustomerResourceGraph>;
  /**
   * Optional: the change notice (db/change-feed.ts) announced whenever an
   * object `customer` owns is added, changed or removed. Only a source that
   * gives it has its graphs and pages kept between requests
   * (./listing-cache.ts); any other is read afresh every time.
   */
  customerNotice?(customer: string): string;
}

/** The ids of a resource graph's objects, by kind: what "everything of this customer" means for visibility. */
export function graphIds(graph: CustomerResourceGraph) {
  return {
    accounts: graph.accounts.map((a) => a.cds_account_id),
    service_contracts: graph.serviceContracts.map((c) => c.cds_servicecontract_id),
    service_points: graph.servicePoints.map((p) => p.cds_servicepoint_id),
    meter_devices: graph.meterDevices.map((m) => m.cds_meterdevice_id),
    aggregations: graph.aggregations.map((g) => g.cds_aggregation_id),
  };
}
