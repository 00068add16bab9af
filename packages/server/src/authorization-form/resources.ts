/**
 * What the Authorization Form needs of a customer's resources (CDS-WG3-01
 * §9.2.3): the account → service contract → service point → meter graph of
 * the signed-in customer, and nothing of anyone else. The Customer Data
 * source (customer-data/) answers it; the form never reads the tables itself.
 */
export interface FormAccount {
  id: string;
  account_number: string;
  name: string | null;
  address: string | null;
  program_numbers: string[];
}

export interface FormServiceContract {
  id: string;
  contract_number: string;
  account_id: string;
  account_number: string;
  service_type: string;
  name: string | null;
  address: string | null;
  program_numbers: string[];
}

export interface FormServicePoint {
  id: string;
  servicepoint_number: string;
  servicepoint_types: string[];
  contract_ids: string[];
  address: string | null;
  premise_number: string | null;
  name: string | null;
}

export interface FormMeter {
  id: string;
  meter_number: string;
  meter_type: string;
  servicepoint_ids: string[];
  name: string | null;
}

/** One customer's resources; every list is theirs only. */
export interface CustomerResources {
  accounts: FormAccount[];
  serviceContracts: FormServiceContract[];
  servicePoints: FormServicePoint[];
  meters: FormMeter[];
}

export type CustomerResourceLookup = (customerAccountId: string) => Promise<CustomerResources>;

export const noResources: CustomerResources = { accounts: [], serviceContracts: [], servicePoints: [], meters: [] };
