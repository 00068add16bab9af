/**
 * The demo utility's customer data: a deterministic, seeded "Demo Gas &
 * Electric" sized by customers × months × interval, so tests stay small and
 * benchmarks scale. Every demo login customer (../customers.ts) gets real
 * Accounts, Service Contracts, Service Points and Meter Devices (CDS-WG3-01
 * §10.1–§10.4); further customers are numbered after them.
 *
 * Shapes follow the working group's cases: residential customers with
 * electric and gas service (some with net-metered rooftop solar, some with an
 * EV-charging submeter app, §10.4.3, minutes of 2024-05-23), and every tenth
 * customer commercial, with several Accounts under one parent (§10.1.1
 * `cds_account_parent`) and properties with electric, gas and water service.
 */
import type { Account, MeterDevice, ServiceContract, ServicePoint } from "@cds-toolkit/types";
import { demoCustomers } from "../customers.js";
import { SeededRandom } from "./random.js";
import { site, utility } from "./utility.js";
import { buildingAggregation, ratePlanAggregations } from "./aggregations.js";
import { customerBills } from "./bills.js";
import { billingMonths, intervalDays, type BillingMonth } from "./calendar.js";
import { accountEacId, accountEacs, issuedAt, pooledEacs } from "./eacs.js";
import { profileOf } from "./metered-months.js";
import { billingPeriodSegment, buildingSegment, daySegment } from "./usage.js";
import type { StoredObject } from "../../customer-data/stored-object.js";
import type { RelatedNumbers } from "../../customer-data/listing-rules.js";

export interface DemoUtilitySize {
  /** Customers in all, the demo logins first (at least their number is always made). */
  customers: number;
  /** Months of history ending at `until` (bills and usage, where generated). */
  months: number;
  /** Seconds per usage interval (900 = 15 minutes). */
  intervalSeconds: number;
  /** The seed; the same seed and size give the same utility. */
  seed: number;
  /** The last instant the data covers (an ISO datetime; data is "synced" then). */
  until: string;
  /**
   * Days (ending at `until`) of usage at `intervalSeconds`; older usage is
   * kept only per billing period. Left out: every day of the `months`.
   */
  intervalDays?: number;
  /**
   * Days of usage at `intervalSeconds` for particular Meter Devices
   * (`cds_meterdevice_id`), in place of `intervalDays`; `"all"`: every day of
   * the `months`. The default gives the walkthrough meter (Alex's electric
   * meter, the one the README reads a month of) 35 days, and `--demo-year`
   * (CDS_DEMO_YEAR) every day, so `cds usage export` has a year to export:
   * one long meter costs the seed about a second, every meter would cost
   * minutes.
   */
  meterIntervalDays?: Readonly<Record<string, number | "all">>;
}

/** Alex's electric meter: the one the README's `cds` walkthrough exports a year of. */
export const walkthroughMeterId = "md-1001-001-electric";

export const defaultDemoSize: DemoUtilitySize = {
  customers: 6,
  months: 13,
  intervalSeconds: 900,
  seed: 20_240_523,
  until: "2025-03-01T06:00:00.000Z",
  intervalDays: 4,
  meterIntervalDays: { [walkthroughMeterId]: 35 },
};

/** The walkthrough meter with usage at `intervalSeconds` every day of the months (`--demo-year`). */
export const withDemoYear = (size: DemoUtilitySize): DemoUtilitySize => ({ ...size, meterIntervalDays: { ...size.meterIntervalDays, [walkthroughMeterId]: "all" } });

/** The default demo with the walkthrough meter's year of 15-minute usage (`--demo-year`). */
export const demoYearSize: DemoUtilitySize = withDemoYear(defaultDemoSize);

export interface DemoCustomer {
  customer: string;
  kind: "residential" | "commercial";
  solar: boolean;
  ev: boolean;
  accounts: Account[];
  serviceContracts: ServiceContract[];
  servicePoints: ServicePoint[];
  meterDevices: MeterDevice[];
  /** One entry per metered service: the objects that bills and usage hang off. */
  services: DemoService[];
}

/** A metered service of a customer: its Account, Service Contract, Service Point and Meter Device together. */
export interface DemoService {
  service: Service;
  account: Account;
  contract: ServiceContract;
  point: ServicePoint;
  meter: MeterDevice;
  /** The property's index among the customer's (0 for a residential customer). */
  property: number;
}

export interface DemoUtility {
  size: DemoUtilitySize;
  customers: DemoCustomer[];
  /** Every object, with its owners, ready for `storeCustomerData`. */
  objects: StoredObject[];
  numbers: RelatedNumbers;
}


const streets = ["Lakeshore Dr", "Maple Ave", "Harbor St", "Cedar Ln", "Pier Rd", "Willow Way", "Quarry Rd", "Mill St"];
const towns = ["Lake Demo", "North Demo", "Demo Springs"];
const firstNames = ["Alex", "Sam", "Jordan", "Riley", "Casey", "Morgan", "Taylor", "Jamie", "Avery", "Quinn"];
const lastNames = ["Demo", "Rivera", "Okafor", "Lindqvist", "Nakamura", "Haddad", "Moreau", "Kowalski"];

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const minusDays = (iso: string, days: number) => new Date(Date.parse(iso) - days * 86_400_000).toISOString();
const dateOf = (iso: string) => iso.slice(0, 10);

export type Service = "electric" | "natural_gas" | "water";

export function generateDemoUtility(size: DemoUtilitySize = defaultDemoSize): DemoUtility {
  const customers: DemoCustomer[] = [];
  const objects: StoredObject[] = [];
  const numberOf = new Map<string, string | null>();
  for (const part of demoUtilityParts(size)) {
    customers.push(...part.customers);
    objects.push(...part.objects);
    for (const [id, number] of part.numberOf) numberOf.set(id, number);
  }
  return { size, customers, objects, numbers: numbersFrom(numberOf) };
}

/** One batch of the utility: some customers' objects, or (last) the utility-wide ones, with the numbers they refer to. */
export interface DemoUtilityPart {
  customers: DemoCustomer[];
  objects: StoredObject[];
  /** The customer-facing number of each object of the part (what `RelatedNumbers` looks up). */
  numberOf: Map<string, string | null>;
  numbers: RelatedNumbers;
}

const numbersFrom = (numberOf: Map<string, string | null>): RelatedNumbers => {
  const lookup = (id: string) => numberOf.get(id);
  return { account: lookup, serviceContract: lookup, servicePoint: lookup, meterDevice: lookup, aggregation: lookup };
};

/**
 * The utility `customersPerPart` customers at a time, so that a large seed
 * (`cds-server seed`) never holds more than one part in memory. A customer's
 * objects only refer to the customer's own, so each part's numbers suffice
 * for storing it. The concatenated parts are exactly `generateDemoUtility`.
 */
export function* demoUtilityParts(size: DemoUtilitySize = defaultDemoSize, customersPerPart = 50): Generator<DemoUtilityPart> {
  const random = new SeededRandom(size.seed);
  const count = Math.max(size.customers, demoCustomers.length);
  const months = billingMonths(size);
  const days = intervalDays(size, months);
  const ownDays = new Map<string, number[]>();
  const meterDays = (meterId: string): readonly number[] => {
    const own = size.meterIntervalDays && Object.hasOwn(size.meterIntervalDays, meterId) ? size.meterIntervalDays[meterId] : undefined;
    if (own === undefined) return days;
    if (!ownDays.has(meterId)) ownDays.set(meterId, intervalDays({ ...size, intervalDays: own === "all" ? undefined : own }, months));
    return ownDays.get(meterId)!;
  };
  const wide: UtilityWide = { solarAccounts: 0, solarCustomers: [], careCustomers: [], nemContracts: [] };
  for (let from = 0; from < count; from += customersPerPart) {
    const customers: DemoCustomer[] = [];
    const objects: StoredObject[] = [];
    const numberOf = new Map<string, string | null>();
    for (let i = from; i < Math.min(from + customersPerPart, count); i++) {
      const c = makeCustomer(i, size, random);
      customers.push(c);
      addBaseObjects(c, objects, numberOf);
      addBillsUsageAndCertificates(size, months, meterDays, c, i, objects, numberOf, wide);
    }
    yield { customers, objects, numberOf, numbers: numbersFrom(numberOf) };
  }
  const objects: StoredObject[] = [];
  const numberOf = new Map<string, string | null>();
  addUtilityWide(size, months, wide, objects, numberOf);
  yield { customers: [], objects, numberOf, numbers: numbersFrom(numberOf) };
}

function addBaseObjects(c: DemoCustomer, objects: StoredObject[], numberOf: Map<string, string | null>): void {
  const owners = [c.customer];
  for (const object of c.accounts) {
    objects.push({ kind: "accounts", object, owners });
    numberOf.set(object.cds_account_id, object.account_number ?? null);
  }
  for (const object of c.serviceContracts) {
    objects.push({ kind: "service_contracts", object, owners });
    numberOf.set(object.cds_servicecontract_id, object.contract_number ?? null);
  }
  for (const object of c.servicePoints) {
    objects.push({ kind: "service_points", object, owners });
    numberOf.set(object.cds_servicepoint_id, object.servicepoint_number ?? null);
  }
  for (const object of c.meterDevices) {
    objects.push({ kind: "meter_devices", object, owners });
    numberOf.set(object.cds_meterdevice_id, object.meter_number ?? null);
  }
}

/** The customer id of the i-th customer: the demo logins first, then `dge-customer-<n>`. */
export function demoCustomerId(i: number): string {
  return demoCustomers[i]?.accountId ?? `dge-customer-${1001 + i}`;
}

function makeCustomer(i: number, size: DemoUtilitySize, random: SeededRandom): DemoCustomer {
  const customer = demoCustomerId(i);
  // Sam (the second login) is the commercial customer with many accounts; then every tenth.
  const kind = i === 1 || (i > 1 && i % 10 === 1) ? "commercial" : "residential";
  const solar = i === 0 || (kind === "residential" && random.chance(0.25));
  const ev = i === 0 || (kind === "residential" && random.chance(0.2));
  const n = 1001 + i;
  const first = i === 0 ? "Alex" : i === 1 ? "Sam" : random.pick(firstNames);
  const last = i < 2 ? "Demo" : random.pick(lastNames);
  const town = random.pick(towns);
  // Created some years before the data ends; modified in the last months, each object its own time.
  const created = minusDays(size.until, 400 + random.int(0, 2000));
  const touched = () => minusDays(size.until, random.int(0, 120) + random.next());
  const timestamps = () => ({ cds_created: created, cds_modified: touched(), cds_synced: size.until });

  const c: DemoCustomer = { customer, kind, solar, ev, accounts: [], serviceContracts: [], servicePoints: [], meterDevices: [], services: [] };
  const properties = kind === "commercial" ? 3 + random.int(0, 2) : 1;
  const parentId = kind === "commercial" ? `acct-${n}-parent` : null;
  if (parentId) {
    c.accounts.push({
      cds_account_id: parentId,
      ...timestamps(),
      cds_account_parent: null,
      customer_number: `C${pad(n, 7)}`,
      account_number: `${pad(n, 6)}-000`,
      account_entity: utility,
      account_name: `${last} Holdings LLC`,
      account_address: `${100 + i} Commerce Blvd\n${town}, DM 55${pad(i % 1000, 3)}`,
      account_types: ["customer", "commercial", "parent", "billed_monthly"],
      account_status: "active",
      account_contacts: [
        { id: `contact-${n}-email`, types: ["email", "work", "primary"], value: `billing+${n}@${last.toLowerCase()}-holdings.example` },
        { id: `contact-${n}-phone`, types: ["phone_number", "work"], value: `+1555${pad(n % 10_000_000, 7)}` },
      ],
      account_programs: [],
    });
  }
  for (let p = 0; p < properties; p++) {
    const suffix = pad(p + 1, 3);
    const accountId = `acct-${n}-${suffix}`;
    const address = kind === "commercial" ? `${200 + p * 10} ${random.pick(streets)}, Unit ${p + 1}\n${town}, DM 55${pad(i % 1000, 3)}` : `${10 + (i % 90)} ${random.pick(streets)}\n${town}, DM 55${pad(i % 1000, 3)}`;
    const care = kind === "residential" && (i === 0 || random.chance(0.15));
    c.accounts.push({
      cds_account_id: accountId,
      ...timestamps(),
      cds_account_parent: parentId,
      customer_number: `C${pad(n, 7)}`,
      account_number: `${pad(n, 6)}-${suffix}`,
      account_entity: utility,
      account_name: kind === "commercial" ? `${last} Holdings LLC - Property ${p + 1}` : `${first} ${last}`,
      account_address: address,
      account_types: kind === "commercial" ? ["customer", "commercial", "child", "billed_monthly"] : ["customer", "residential", "billed_monthly"],
      account_status: "active",
      account_contacts: [{ id: `contact-${n}-${suffix}`, types: ["email", "home", "preferred"], value: `${first.toLowerCase()}.${last.toLowerCase()}${n}@mail.example` }],
      // A CARE-style income-qualified discount (§10.1.8).
      account_programs: care
        ? [
            {
              id: `prog-${n}-care`,
              program_number: "CARE",
              types: ["active", "low_income"],
              name: "Customer Assistance Rate Discount",
              description: "A monthly discount on the bill for income-qualified households.",
              documentation: `${site}/developers/programs/care`,
              more_info: `${site}/programs/care`,
              participation_number: `CARE-${pad(n, 6)}`,
              start: dateOf(minusDays(size.until, 700)),
            },
          ]
        : [],
    });

    const services: Service[] = kind === "commercial" ? ["electric", "natural_gas", ...(p === 0 ? (["water"] as const) : [])] : ["electric", ...(random.chance(0.7) || i === 0 ? (["natural_gas"] as const) : [])];
    for (const service of services) {
      const key = `${n}-${suffix}-${service === "natural_gas" ? "gas" : service}`;
      const contractId = `sc-${key}`;
      const pointId = `sp-${key}`;
      const meterId = `md-${key}`;
      const dr = service === "electric" && kind === "commercial" && p === 0;
      const rate = ratePlan(service, kind, solar && service === "electric");
      c.serviceContracts.push({
        cds_servicecontract_id: contractId,
        ...timestamps(),
        cds_account_id: accountId,
        account_number: `${pad(n, 6)}-${suffix}`,
        contract_number: `SA-${key.toUpperCase()}`,
        contract_address: address,
        contract_types: ["utility_service", "billed_monthly"],
        contract_entity: utility,
        contract_status: "active",
        contract_start: dateOf(created),
        contract_end: null,
        service_types: [service, kind, "metered", "distribution", "supply"],
        rateplan_code: rate.code,
        rateplan_name: rate.name,
        // A DRAM-style demand response program for the commercial main electric service (§10.2.5).
        service_programs: dr
          ? [
              {
                id: `prog-${key}-dram`,
                program_number: "DRAM-2025",
                types: ["active", "demand_response"],
                name: "Demand Response Auction",
                description: "Paid load reduction during grid emergencies, bid through an aggregator.",
                documentation: `${site}/developers/programs/dram`,
                participation_number: `DRAM-${key}`,
                start: dateOf(minusDays(size.until, 300)),
                pnode: "DEMO_LAKE_NODE_1",
                anode: "DEMO_SUBLAP_NORTH",
                aggregated: true,
                automated: false,
              },
            ]
          : [],
      });
      c.servicePoints.push({
        cds_servicepoint_id: pointId,
        ...timestamps(),
        servicepoint_number: `SP-${key.toUpperCase()}`,
        servicepoint_types: [service, "single_service", "physical"],
        servicepoint_address: address,
        latitude: Number((44.9 + random.next() / 10).toFixed(5)),
        longitude: Number((-93.3 + random.next() / 10).toFixed(5)),
        current_servicecontracts: [contractId],
        previous_servicecontracts: [],
        premises: [{ id: `prem-${n}-${suffix}`, premise_number: `PR-${pad(n, 6)}-${suffix}`, types: ["building"] }],
      });
      const net = solar && service === "electric";
      c.meterDevices.push({
        cds_meterdevice_id: meterId,
        ...timestamps(),
        meter_number: `M${pad(n, 6)}${suffix}${service[0]!.toUpperCase()}`,
        meter_types: [`${service}_usage`, net ? "bidirectional" : "forward_only", "physical_meter", service === "water" ? "amr_meter" : "ami_meter", ...(service === "electric" ? (["electric_demand", "zigbee_capable", "customer_apps_capable"] as const) : [])],
        current_servicepoints: [pointId],
        previous_servicepoints: [],
        // The EV-charging submeter app (§10.4.3): the charger is metered by an app on the main meter.
        meter_apps:
          ev && service === "electric"
            ? [{ id: `app-${key}-ev`, app_number: "EV-SUBMETER", types: ["installed", "customer_installable"], name: "EV charging submeter", start: minusDays(size.until, 200) }]
            : [],
      });
      c.services.push({ service, account: c.accounts.at(-1)!, contract: c.serviceContracts.at(-1)!, point: c.servicePoints.at(-1)!, meter: c.meterDevices.at(-1)!, property: p });
    }
  }
  return c;
}

function ratePlan(service: Service, kind: "residential" | "commercial", solar: boolean): { code: string; name: string } {
  if (service === "natural_gas") return kind === "commercial" ? { code: "G-NR1", name: "Commercial Gas Service" } : { code: "G-1", name: "Residential Gas Service" };
  if (service === "water") return { code: "W-C", name: "Commercial Water Service" };
  if (kind === "commercial") return { code: "B-10", name: "Medium General Demand-Metered TOU" };
  return solar ? { code: "E-TOU-NEM", name: "Residential Time-of-Use, Net Energy Metering" } : { code: "E-TOU-C", name: "Residential Time-of-Use" };
}

/** What the utility-wide objects gather from the customers as they are made. */
interface UtilityWide {
  solarAccounts: number;
  solarCustomers: string[];
  careCustomers: string[];
  nemContracts: string[];
}

/**
 * A customer's bills (§10.5, §10.6), usage (§10.8), own certificates (§10.9)
 * and building aggregation (§10.7, a home's too), from the customer's metered services.
 * They draw no numbers from the shared random stream (./profiles.ts hashes
 * instead), so adding them left the older objects as they were.
 */
function addBillsUsageAndCertificates(size: DemoUtilitySize, months: readonly BillingMonth[], meterDays: (meterId: string) => readonly number[], c: DemoCustomer, index: number, objects: StoredObject[], numberOf: Map<string, string | null>, wide: UtilityWide): void {
  const owners = [c.customer];
  for (const s of c.services) {
    if (s.contract.rateplan_code !== "E-TOU-NEM") continue;
    wide.nemContracts.push(s.contract.cds_servicecontract_id);
    if (!wide.solarCustomers.includes(c.customer)) wide.solarCustomers.push(c.customer);
    for (const eac of accountEacs(months, size.until, s.account.cds_account_id, ++wide.solarAccounts)) objects.push({ kind: "energy_attribute_certificates", object: eac, owners });
  }
  if (c.accounts.some((a) => (a.account_programs ?? []).some((p) => p.program_number === "CARE"))) wide.careCustomers.push(c.customer);

  const bills = customerBills(c, index, months, size.seed, size.intervalSeconds, size.until);
  for (const object of bills.statements) objects.push({ kind: "bill_statements", object, owners });
  for (const object of bills.sections) objects.push({ kind: "bill_sections", object, owners });
  const sectionOf = new Map<string, string>();
  for (const { section, service, month, totals } of bills.metered.values()) {
    sectionOf.set(`${service.meter.cds_meterdevice_id}|${month.label}`, section.cds_billsection_id);
    const profile = profileOf(service, c.solar, c.ev, c.kind === "commercial");
    const total = Number(section.cost_details.find((d) => d.types.includes("overall_total"))!.cost);
    const eacs = profile.solar && issuedAt(month, size.until) ? [accountEacId(service.account.cds_account_id, month)] : [];
    objects.push({ kind: "usage_segments", object: billingPeriodSegment(service, profile, month, totals, section.cds_billsection_id, total, section.cds_created, size.until, eacs), owners });
  }
  for (const service of c.services) {
    const profile = profileOf(service, c.solar, c.ev, c.kind === "commercial");
    const days = meterDays(service.meter.cds_meterdevice_id);
    days.forEach((day, n) => {
      const month = months.find((m) => day >= m.startMs && day < m.endMs);
      const age = days.length - 1 - n;
      const outage = index === 0 && service.service === "electric" && age === 2;
      const sectionId = month ? (sectionOf.get(`${service.meter.cds_meterdevice_id}|${month.label}`) ?? null) : null;
      objects.push({ kind: "usage_segments", object: daySegment(service, profile, day, { seed: size.seed, intervalSeconds: size.intervalSeconds, until: size.until, age, sectionId, outage }), owners });
    });
  }

  // Every customer's building, a home included: Aggregation Inclusion (cds_aggregation_consent_1, §6.1.10) asks a
  // customer about an Aggregation of theirs, so without one a demo customer could never be asked (the utility-wide
  // rate-plan group belongs to no customer: it groups other customers' contracts).
  const electric = c.services.filter((s) => s.service === "electric");
  const number = `BLDG-${c.customer.replace(/[^A-Za-z0-9]/g, "").toUpperCase()}`;
  const stamps = { cds_created: c.accounts[0]!.cds_created, cds_modified: c.accounts[0]!.cds_modified, cds_synced: size.until };
  const building = buildingAggregation(c.customer, number, electric.map((s) => s.meter.cds_meterdevice_id), [...new Set(electric.map((s) => s.account.account_address!))], stamps);
  objects.push({ kind: "aggregations", object: building.aggregation, owners: building.owners });
  numberOf.set(building.aggregation.cds_aggregation_id, number);
  // A home's one meter already has its monthly segments; a building of several gets the whole building's month.
  if (c.kind === "commercial") {
    const metered = [...bills.metered.values()].filter((m) => m.service.service === "electric");
    for (const month of months) {
      const ofMonth = metered.filter((m) => m.month === month);
      if (ofMonth.length) objects.push({ kind: "usage_segments", object: buildingSegment(building.aggregation.cds_aggregation_id, ofMonth, month, ofMonth[0]!.section.cds_created, size.until), owners });
    }
  }
}

/** The objects of many customers: pooled certificates and the net-metering rate plan's Aggregation. */
function addUtilityWide(size: DemoUtilitySize, months: readonly BillingMonth[], wide: UtilityWide, objects: StoredObject[], numberOf: Map<string, string | null>): void {
  for (const { eac, owners } of pooledEacs(months, size.until, wide.solarCustomers, wide.careCustomers)) objects.push({ kind: "energy_attribute_certificates", object: eac, owners });
  if (!wide.nemContracts.length) return;
  const stamps = { cds_created: minusDays(size.until, 400), cds_modified: minusDays(size.until, 30), cds_synced: size.until };
  for (const { aggregation, owners } of ratePlanAggregations("E-TOU-NEM", wide.nemContracts, stamps)) {
    objects.push({ kind: "aggregations", object: aggregation, owners });
    numberOf.set(aggregation.cds_aggregation_id, aggregation.aggregation_number);
  }
}
