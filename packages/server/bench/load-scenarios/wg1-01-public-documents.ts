/** CDS-WG1-01 public documents: served from memory (server-metadata/document-cache.ts). */
import type { LoadScenario } from "../load-shared.ts";

// Issue 10's measurement before any of this work: 450 req/s against bare Fastify's 25,800 on the same bytes.
const before = { ratio: 450 / 25_800, source: "issue 10, before" };

export const scenarios: LoadScenario[] = [
  { key: "metadata", label: "GET /.well-known/cds-server-metadata.json", server: "serving", expect: 200, before, request: () => ({ method: "GET", path: "/.well-known/cds-server-metadata.json", headers: {} }) },
  { key: "coverage", label: "GET /cds-coverage.json (a page)", server: "serving", expect: 200, request: () => ({ method: "GET", path: "/cds-coverage.json", headers: {} }) },
  // RFC 8414 with the CDS-WG1-02 §3.2 fields: oidc-provider's discovery route (Koa, oauth/provider.ts), no early answer yet.
  { key: "oauth-metadata", label: "GET /.well-known/oauth-authorization-server", server: "serving", expect: 200, request: () => ({ method: "GET", path: "/.well-known/oauth-authorization-server", headers: {} }) },
];
