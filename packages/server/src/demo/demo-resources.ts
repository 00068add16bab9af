/**
 * Stand-in for the demo utility's Customer Data (issue 12 builds the real
 * source and generator): the two demo customers' resource graphs, so the
 * Authorization Form has something real to show. Replaced by the Customer
 * Data source once it lands; keep the shape of authorization-form/resources.ts.
 */
import type { CustomerResourceLookup, CustomerResources } from "../authorization-form/resources.js";
import { noResources } from "../authorization-form/resources.js";

const alex: CustomerResources = {
  accounts: [{ id: "acct-1001", account_number: "1001-22-3333", name: "Home", address: "12 Birch Lane, Springfield", program_numbers: ["budget_billing"] }],
  serviceContracts: [
    { id: "sc-1001-e", contract_number: "SC-1001-E", account_id: "acct-1001", account_number: "1001-22-3333", service_type: "electric", name: "Home electric", address: "12 Birch Lane, Springfield", program_numbers: [] },
    { id: "sc-1001-g", contract_number: "SC-1001-G", account_id: "acct-1001", account_number: "1001-22-3333", service_type: "natural_gas", name: "Home gas", address: "12 Birch Lane, Springfield", program_numbers: [] },
  ],
  servicePoints: [
    { id: "sp-1001-e", servicepoint_number: "SP-1001-E", servicepoint_types: ["electric"], contract_ids: ["sc-1001-e"], address: "12 Birch Lane, Springfield", premise_number: "PR-1001", name: null },
    { id: "sp-1001-g", servicepoint_number: "SP-1001-G", servicepoint_types: ["natural_gas"], contract_ids: ["sc-1001-g"], address: "12 Birch Lane, Springfield", premise_number: "PR-1001", name: null },
  ],
  meters: [
    { id: "m-1001-e", meter_number: "E-55001", meter_type: "electric_usage", servicepoint_ids: ["sp-1001-e"], name: null },
    { id: "m-1001-g", meter_number: "G-77001", meter_type: "natural_gas_usage", servicepoint_ids: ["sp-1001-g"], name: null },
  ],
};

const sam: CustomerResources = {
  accounts: [{ id: "acct-1002", account_number: "1002-44-5555", name: "Apartment", address: "9 Elm Street, Apt 4, Springfield", program_numbers: ["care"] }],
  serviceContracts: [{ id: "sc-1002-e", contract_number: "SC-1002-E", account_id: "acct-1002", account_number: "1002-44-5555", service_type: "electric", name: null, address: "9 Elm Street, Apt 4, Springfield", program_numbers: [] }],
  servicePoints: [{ id: "sp-1002-e", servicepoint_number: "SP-1002-E", servicepoint_types: ["electric"], contract_ids: ["sc-1002-e"], address: "9 Elm Street, Apt 4, Springfield", premise_number: "PR-1002", name: null }],
  meters: [{ id: "m-1002-e", meter_number: "E-55002", meter_type: "electric_usage", servicepoint_ids: ["sp-1002-e"], name: null }],
};

const byCustomer: Record<string, CustomerResources> = { "dge-customer-1001": alex, "dge-customer-1002": sam };

export const demoResources: CustomerResourceLookup = async (customerAccountId) => byCustomer[customerAccountId] ?? noResources;
