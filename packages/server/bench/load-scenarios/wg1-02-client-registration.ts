/** CDS-WG1-02: the token endpoint, an authorized Clients listing, and the cost of refusing (429). */
import { clientCredentialsRequest, type LoadScenario } from "../load-shared.ts";

export const scenarios: LoadScenario[] = [
  { key: "token", label: "POST /oauth/token client_credentials", server: "serving", expect: 200, request: () => clientCredentialsRequest("demo-client", "cds_client_admin") },
  {
    key: "clients",
    label: "GET /cds-api/v1/clients (bearer)",
    server: "serving",
    expect: 200,
    request: async (context) => ({ method: "GET", path: "/cds-api/v1/clients", headers: { authorization: `Bearer ${await context.token("demo-client", "cds_client_admin")}` } }),
  },
  {
    key: "limited",
    label: "429: metadata, default limit, one address",
    server: "limited",
    expect: 429,
    // Issue 10, before: ~1,000 req/s of 429s against bare Fastify's 25,800 on the metadata bytes.
    before: { ratio: 1_000 / 25_800, source: "issue 10, before" },
    request: () => ({ method: "GET", path: "/.well-known/cds-server-metadata.json", headers: {} }),
  },
];
