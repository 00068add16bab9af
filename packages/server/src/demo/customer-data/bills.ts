/**
 * The demo utility's bills: one Bill Statement (CDS-WG3-01 §10.5) per billed
 * Account and month, with one Bill Section (§10.6) per Service Contract.
 *
 * Everything is counted in whole cents and only then written as decimals, so
 * the sums hold exactly (§10.6.5.1): each Cost Detail is the sum of the Line
 * Items that name it in `related_cost_details`, `overall_total` is the sum of
 * all of a section's Line Items, each service's New Charge on the statement is
 * its section's `overall_total`, and `amount_due` is `previous_balance_unpaid`
 * plus every included New Charge (§10.5.1).
 */
import type { Account, BillSection, BillSectionCostDetail, BillSectionLineItem, BillSectionUsageDetail, BillStatement, NewCharge } from "@cds-toolkit/types";
import { addDays, type BillingMonth } from "./calendar.js";
import type { DemoCustomer, DemoService } from "./generator.js";
import { meteredMonth, profileOf, type MeteredMonth } from "./metered-months.js";
import { hashUnit } from "./profiles.js";
import { site, utility } from "./utility.js";

/** Prices in dollars per unit; fixed charges in cents. */
interface Tariff {
  fixedCents: number;
  delivery: { peak: number; offPeak: number };
  supply: { peak: number; offPeak: number };
  /** Net metering: the credit per exported kWh. */
  exportCredit?: number;
  /** Commercial: dollars per kW of the month's peak demand. */
  demand?: number;
  /** Gas and water: delivery and supply per therm or gallon. */
  volume?: { delivery: number; supply: number };
}

const tariffs: Record<string, Tariff> = {
  "E-TOU-C": { fixedCents: 1200, delivery: { peak: 0.21, offPeak: 0.12 }, supply: { peak: 0.17, offPeak: 0.09 } },
  "E-TOU-NEM": { fixedCents: 1200, delivery: { peak: 0.21, offPeak: 0.12 }, supply: { peak: 0.17, offPeak: 0.09 }, exportCredit: 0.08 },
  "B-10": { fixedCents: 15_000, delivery: { peak: 0.085, offPeak: 0.085 }, supply: { peak: 0.11, offPeak: 0.065 }, demand: 18.5 },
  "G-1": { fixedCents: 1050, delivery: { peak: 0, offPeak: 0 }, supply: { peak: 0, offPeak: 0 }, volume: { delivery: 0.62, supply: 0.48 } },
  "G-NR1": { fixedCents: 3500, delivery: { peak: 0, offPeak: 0 }, supply: { peak: 0, offPeak: 0 }, volume: { delivery: 0.45, supply: 0.44 } },
  "W-C": { fixedCents: 4500, delivery: { peak: 0, offPeak: 0 }, supply: { peak: 0, offPeak: 0 }, volume: { delivery: 0.0085, supply: 0 } },
};

/** The local sales tax on every charge of a section (a tax paid to the town, §10.6.8 `tax`). */
const TAX_RATE = 0.05;
/** The CARE-style discount on electric and gas charges (§10.1.8). */
const CARE_DISCOUNT = 0.2;

const money = (cents: number) => cents / 100;
const kWh = (wh: number) => wh / 1000;
const centsOf = (quantity: number, rate: number) => Math.round(quantity * rate * 100);

type LineType = BillSectionLineItem["types"][number];
type CostType = BillSectionCostDetail["types"][number];
const costTypeOf: Partial<Record<LineType, CostType>> = {
  fixed_charge: "fixed_charges",
  usage_charge: "usage_charges",
  tax: "taxes",
  distribution: "distribution",
  supply: "supply",
  transmission: "transmission",
  other: "other",
};
const costNames: Record<CostType, string> = {
  overall_total: "Total charges",
  subtotal: "Subtotal",
  fixed_charges: "Fixed charges",
  usage_charges: "Usage charges",
  taxes: "Taxes",
  distribution: "Delivery charges",
  supply: "Generation charges",
  transmission: "Transmission charges",
  other: "Other charges",
};
const serviceNames = { electric: "Electric", natural_gas: "Gas", water: "Water" } as const;

interface PendingItem {
  name: string;
  types: LineType[];
  cents: number;
  value: number | null;
  units?: BillSectionLineItem["units"];
  rate: number | null;
  usage: string[];
}

export interface DemoBills {
  statements: BillStatement[];
  sections: BillSection[];
  /** Each section's metered month, for the billing-period usage segments. */
  metered: Map<string, { section: BillSection; service: DemoService; month: BillingMonth; totals: MeteredMonth }>;
}

/** The bills of one customer, oldest month first. `index` is the customer's position (one of them once paid late). */
export function customerBills(c: DemoCustomer, index: number, months: readonly BillingMonth[], seed: number, intervalSeconds: number, synced: string): DemoBills {
  const out: DemoBills = { statements: [], sections: [], metered: new Map() };
  const billed = c.accounts.filter((a) => c.services.some((s) => s.account === a));
  for (const account of billed) {
    const services = c.services.filter((s) => s.account === account);
    let previousDue = 0;
    // Water meters are read by drive-by AMR (§10.6.4 `amr_reading`): a register in tens of gallons, carried month to month.
    const registers = new Map<string, number>(services.map((s) => [s.meter.cds_meterdevice_id, 1000 + Math.floor(hashUnit(seed, s.meter.cds_meterdevice_id, "register") * 90_000)]));
    months.forEach((month, m) => {
      const stamp = `${month.statementDate}T${String(8 + Math.floor(hashUnit(seed, account.cds_account_id, month.label) * 8)).padStart(2, "0")}:00:00.000Z`;
      const statementId = `bs-${account.cds_account_id}-${month.label}`;
      const sections = services.map((s) => {
        const totals = meteredMonth(seed, profileOf(s, c.solar, c.ev, c.kind === "commercial"), month, intervalSeconds);
        const register = registers.get(s.meter.cds_meterdevice_id)!;
        const section = billSection(s, month, totals, statementId, account, stamp, seed, synced, register);
        if (s.service === "water") registers.set(s.meter.cds_meterdevice_id, waterEndRead(register, totals.volume));
        out.metered.set(section.cds_billsection_id, { section, service: s, month, totals });
        return section;
      });
      out.sections.push(...sections);
      // Alex pays in full; the third customer skipped one payment four months back, and got a shutoff notice for it.
      const late = index === 2 && m === months.length - 4 && m > 0;
      const paidCents = late ? 0 : previousDue;
      const unpaidCents = previousDue - paidCents;
      const charges: NewCharge[] = sections.map((s) => ({
        id: `nc-${s.cds_billsection_id}`,
        name: `${serviceNames[services.find((x) => s.related_servicecontracts.includes(x.contract.cds_servicecontract_id))!.service]} Service Charges`,
        types: [`${services.find((x) => s.related_servicecontracts.includes(x.contract.cds_servicecontract_id))!.service}_total` as NewCharge["types"][number]],
        amount: overallTotal(s),
        included_in_amount_due: true,
        related_billsections: [s.cds_billsection_id],
      }));
      const care = (account.account_programs ?? []).find((p) => p.program_number === "CARE");
      if (care) {
        const discounted = charges.filter((n) => n.types[0] === "electric_total" || n.types[0] === "natural_gas_total").reduce((a, n) => a + Math.round(n.amount * 100), 0);
        charges.push({ id: `nc-${statementId}-care`, name: "CARE discount", types: ["program"], amount: money(-Math.round(discounted * CARE_DISCOUNT)), included_in_amount_due: true });
      }
      const newCents = charges.reduce((a, n) => a + Math.round(n.amount * 100), 0);
      const dueCents = unpaidCents + newCents;
      const dueDate = addDays(month.statementDate, 21);
      out.statements.push({
        cds_billstatement_id: statementId,
        cds_created: stamp,
        cds_modified: stamp,
        cds_synced: synced,
        cds_account_id: account.cds_account_id,
        account_number: account.account_number!,
        statement_date: month.statementDate,
        currency: "USD",
        file_uri: `${site}/bills/${statementId}.pdf`,
        file_mimetype: "application/pdf",
        previous_balance_amount: money(previousDue),
        previous_balance_paid: money(paidCents),
        previous_balance_unpaid: money(unpaidCents),
        new_charges_amount: money(newCents),
        new_charges: charges,
        new_balance_amount: money(unpaidCents + newCents),
        amount_due: money(dueCents),
        amount_due_date: dueDate,
        shutoff_prevention_minimum_due: late ? money(unpaidCents) : null,
        shutoff_prevention_date: late ? addDays(dueDate, 14) : null,
        account_programs: care ? [care] : [],
      });
      previousDue = dueCents;
    });
  }
  return out;
}

const overallTotal = (s: BillSection) => Number(s.cost_details.find((d) => d.types.includes("overall_total"))!.cost);

/** Gallons per unit of a water meter's register. */
export const WATER_MULTIPLIER = 10;
/** The register after `gallons` more, kept to the one decimal a register of tens of gallons shows for whole gallons. */
const waterEndRead = (register: number, gallons: number) => Math.round((register + Math.round(gallons) / WATER_MULTIPLIER) * 10) / 10;

function billSection(s: DemoService, month: BillingMonth, t: MeteredMonth, statementId: string, account: Account, stamp: string, seed: number, synced: string, register: number): BillSection {
  const id = `bsec-${s.contract.cds_servicecontract_id}-${month.label}`;
  const tariff = tariffs[s.contract.rateplan_code!]!;
  const period = { start_date: month.start, end_date: month.end };
  const usage: BillSectionUsageDetail[] = [];
  const items: PendingItem[] = [{ name: "Customer charge", types: ["fixed_charge", "distribution"], cents: tariff.fixedCents, value: null, rate: null, usage: [] }];
  const u = (suffix: string, detail: Omit<BillSectionUsageDetail, "id" | "start_date" | "end_date">) => {
    usage.push({ id: `${id}-u-${suffix}`, ...detail, ...period });
    return `${id}-u-${suffix}`;
  };

  if (s.service === "electric") {
    const solar = tariff.exportCredit !== undefined;
    const forward = t.peak + t.offPeak;
    const total = solar
      ? u("forward", { name: "Delivered kWh", types: ["electric_usage", "directional", "ami_reading"], direction: "forward", value: kWh(forward), units: "kWh" })
      : u("total", { name: "Total kWh", types: ["electric_usage", "ami_reading"], value: kWh(forward), units: "kWh" });
    const peak = u("peak", { name: "Peak kWh", types: ["electric_usage", "time_of_use", "ami_reading"], tou: "peak", value: kWh(t.peak), units: "kWh" });
    const off = u("off-peak", { name: "Off-peak kWh", types: ["electric_usage", "time_of_use", "ami_reading"], tou: "off_peak", value: kWh(t.offPeak), units: "kWh" });
    const line = (name: string, types: LineType[], wh: number, rate: number, ids: string[]) => items.push({ name, types, cents: centsOf(kWh(wh), rate), value: kWh(wh), units: "kWh", rate, usage: ids });
    if (tariff.demand !== undefined) {
      const demand = u("demand", { name: "Maximum demand", types: ["electric_demand", "ami_reading"], demand_type: "peak", value: t.peakDemand / 1000, units: "kW" });
      items.push({ name: "Demand charge", types: ["usage_charge", "distribution"], cents: centsOf(t.peakDemand / 1000, tariff.demand), value: t.peakDemand / 1000, units: "kW", rate: tariff.demand, usage: [demand] });
      line("Delivery energy charge", ["usage_charge", "distribution"], forward, tariff.delivery.peak, [total]);
    } else {
      line("Delivery peak energy", ["usage_charge", "distribution"], t.peak, tariff.delivery.peak, [total, peak]);
      line("Delivery off-peak energy", ["usage_charge", "distribution"], t.offPeak, tariff.delivery.offPeak, [total, off]);
    }
    line("Generation peak energy", ["usage_charge", "supply"], t.peak, tariff.supply.peak, [total, peak]);
    line("Generation off-peak energy", ["usage_charge", "supply"], t.offPeak, tariff.supply.offPeak, [total, off]);
    if (solar) {
      const received = u("reverse", { name: "Received kWh", types: ["electric_usage", "directional", "ami_reading"], direction: "reverse", value: kWh(t.exported), units: "kWh" });
      u("net", { name: "Net kWh", types: ["electric_usage", "directional", "ami_reading"], direction: "net", value: kWh(forward - t.exported), units: "kWh" });
      // The export is a negative quantity, so rate × value is the (negative) credit.
      line("Net metering export credit", ["usage_charge", "supply"], -t.exported, tariff.exportCredit!, [received]);
    }
    const dram = (s.contract.service_programs ?? []).some((p) => p.program_number.startsWith("DRAM"));
    const summer = Number(month.label.slice(4)) >= 6 && Number(month.label.slice(4)) <= 9;
    if (dram && summer) {
      const reduced = 400 + Math.round(800 * hashUnit(seed, id, "dram"));
      items.push({ name: "Demand response event credit", types: ["other"], cents: -centsOf(reduced, 0.5), value: -reduced, units: "kWh", rate: 0.5, usage: [] });
    }
  } else if (s.service === "natural_gas") {
    const therms = t.volume / 1000;
    const total = u("total", { name: "Total therms", types: ["natural_gas_usage", "ami_reading"], value: therms, units: "therm" });
    items.push({ name: "Gas delivery charge", types: ["usage_charge", "distribution"], cents: centsOf(therms, tariff.volume!.delivery), value: therms, units: "therm", rate: tariff.volume!.delivery, usage: [total] });
    items.push({ name: "Gas supply charge", types: ["usage_charge", "supply"], cents: centsOf(therms, tariff.volume!.supply), value: therms, units: "therm", rate: tariff.volume!.supply, usage: [total] });
  } else {
    // Whole gallons, so (end − start) × multiplier is the billed volume exactly.
    const gallons = Math.round(t.volume);
    const end = waterEndRead(register, gallons);
    const total = u("total", { name: "Total gallons", types: ["water_usage", "amr_reading"], value: gallons, units: "gal", start_read: register, end_read: end, multiplier: WATER_MULTIPLIER });
    items.push({ name: "Water usage charge", types: ["usage_charge", "distribution"], cents: centsOf(gallons, tariff.volume!.delivery), value: gallons, units: "gal", rate: tariff.volume!.delivery, usage: [total] });
  }
  const taxable = items.reduce((a, i) => a + i.cents, 0);
  items.push({ name: "Town utility tax", types: ["tax"], cents: Math.round(taxable * TAX_RATE), value: null, rate: null, usage: [] });

  // Cost Details: the overall total and one subtotal per kind of line that occurs, each the sum of its lines.
  const costIds = (types: readonly LineType[]) => [`${id}-c-overall_total`, ...types.flatMap((x) => (costTypeOf[x] ? [`${id}-c-${costTypeOf[x]}`] : []))];
  const sums = new Map<CostType, number>([["overall_total", 0]]);
  for (const item of items) for (const ref of costIds(item.types)) sums.set(ref.slice(`${id}-c-`.length) as CostType, (sums.get(ref.slice(`${id}-c-`.length) as CostType) ?? 0) + item.cents);
  const costDetails: BillSectionCostDetail[] = [...sums].map(([type, cents]) => ({ id: `${id}-c-${type}`, name: costNames[type], types: [type], cost: money(cents) }));
  const lineItems: BillSectionLineItem[] = items.map((item, n) => ({
    id: `${id}-l-${n + 1}`,
    name: item.name,
    types: item.types,
    ...period,
    cost: money(item.cents),
    value: item.value,
    ...(item.units ? { units: item.units } : {}),
    rate: item.rate,
    related_usage_details: item.usage,
    related_cost_details: costIds(item.types),
  }));
  return {
    cds_billsection_id: id,
    cds_created: stamp,
    cds_modified: stamp,
    cds_synced: synced,
    cds_billstatement_id: statementId,
    cds_account_id: account.cds_account_id,
    account_number: account.account_number!,
    section_types: ["service_contract", s.service, "distribution", ...(s.service === "water" ? [] : (["supply"] as const))],
    ...period,
    currency: "USD",
    distribution_entity: utility,
    supply_entity: s.service === "water" ? null : utility,
    related_servicecontracts: [s.contract.cds_servicecontract_id],
    related_servicepoints: [s.point.cds_servicepoint_id],
    related_meterdevices: [s.meter.cds_meterdevice_id],
    related_billsections: [],
    usage_details: usage,
    cost_details: costDetails,
    line_items: lineItems,
  };
}
