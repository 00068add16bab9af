/**
 * The demo utility: a fictional "Demo Gas & Electric" (the name CDS-WG1-01
 * uses in its own examples), with geographic and logical coverage. Its web
 * pages and maps live under the reserved `.example` domain (RFC 2606): they
 * are placeholders, not links that resolve.
 */
import { serverMetadata, coverageEntries } from "../db/schema.js";

type MetadataRow = typeof serverMetadata.$inferInsert;
type CoverageRow = typeof coverageEntries.$inferInsert;

const site = "https://dge.example";

export const demoMetadata: Omit<MetadataRow, "id"> = {
  created: new Date("2024-01-15T00:00:00.000Z"),
  updated: new Date("2025-03-01T12:00:00.000Z"),
  name: "Demo Gas & Electric",
  description: "A fictional electric and gas utility serving the towns around Lake Demo; the demo data of the CDS toolkit's reference server.",
  website: `${site}/`,
  documentation: `${site}/developers/docs`,
  support: `${site}/developers/support`,
  capabilities: ["coverage"],
  relatedMetadata: null,
  oauthPolicyUri: `${site}/developers/policy`,
  oauthTosUri: `${site}/developers/terms`,
  humanRegistrationUri: `${site}/developers/register`,
  timezone: "America/Chicago",
};

const entity = { entityName: "Demo Gas & Electric", entityAbbreviation: "DG&E", country: "US" } as const;

/** Distinct `updated` times, so the listing order is visible. */
export const demoCoverage: CoverageRow[] = [
  {
    id: "dge_elec_north",
    created: new Date("2024-01-15T00:00:00.000Z"),
    updated: new Date("2025-02-20T09:30:00.000Z"),
    ...entity,
    name: "Northern electric service territory",
    description: "Electric distribution north of Lake Demo.",
    type: "geographic",
    role: "authoritative",
    infrastructureTypes: ["distribution_utility", "metering_provider"],
    commodityTypes: ["electricity"],
    capabilities: [],
    mapResource: `${site}/maps/electric-north.png`,
    mapContentType: "image/png",
    geojsonResource: `${site}/maps/electric-north.geojson`,
  },
  {
    id: "dge_elec_south",
    created: new Date("2024-01-15T00:00:00.000Z"),
    updated: new Date("2024-11-05T16:00:00.000Z"),
    ...entity,
    name: "Southern electric service territory",
    type: "geographic",
    role: "authoritative",
    infrastructureTypes: ["distribution_utility"],
    commodityTypes: ["electricity"],
    capabilities: [],
    mapResource: `${site}/maps/electric-south.png`,
    mapContentType: "image/png",
  },
  {
    id: "dge_gas",
    created: new Date("2024-03-01T00:00:00.000Z"),
    updated: new Date("2025-01-10T08:00:00.000Z"),
    ...entity,
    name: "Natural gas service territory",
    description: "Gas distribution around the whole lake.",
    type: "geographic",
    role: "authoritative",
    infrastructureTypes: ["distribution_utility"],
    commodityTypes: ["natural_gas"],
    capabilities: [],
    geojsonResource: `${site}/maps/gas.geojson`,
  },
  {
    id: "dge_large_commercial",
    created: new Date("2024-06-01T00:00:00.000Z"),
    updated: new Date("2024-06-01T00:00:00.000Z"),
    ...entity,
    name: "Large commercial and industrial customers",
    description: "Customers on the large commercial and industrial tariffs, wherever they are.",
    type: "logical",
    role: "authoritative",
    infrastructureTypes: ["supplier"],
    commodityTypes: ["electricity", "natural_gas"],
    capabilities: [],
  },
];

/** The demo OAuth client: a `cds_client_admin` Client Object of its own registration, as registration would make it. */
export const demoClient = {
  clientId: "demo-client",
  registrationId: "demo-registration",
  metadata: {
    client_name: "Demo client",
    contacts: [],
    authorization_details_types: [],
    grant_types: ["client_credentials"],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: "client_secret_basic",
    scope: "cds_client_admin",
  },
} as const;
