/**
 * The served Authorization Server Metadata agrees with itself (CDS-WG1-02
 * §3.2, §3.4, §3.8): every scope in `scopes_supported` has a Scope
 * Description, the top-level `authorization_details_types_supported` covers
 * every type a described scope lists, each Authorization Details Field's
 * `for_types` are types its scope lists, and a `cds_*_api` field is present
 * for every described scope type whose API it names. The checks read the
 * document generically, so scopes added later are held to the same rules.
 */
// The server implements CDS-WG3-01, so its document is checked as that layer's model (which extends CDS-WG1-02's).
import { validateCustomerDataAuthorizationServerMetadata as validateAuthorizationServerMetadata } from "@cds-toolkit/validators";
import { beforeEach, describe, expect, it } from "vitest";
import { seedDemoData } from "../src/demo/seed.ts";
import type { CdsServer } from "../src/server.ts";
import { describeEachDatabase } from "./helpers/databases.ts";
import { useListeningServer } from "./helpers/servers.ts";

interface Described {
  id: string;
  type: string;
  authorization_details_types_supported: string[];
  authorization_details_fields_supported: Array<{ id: string; for_types: string[] }>;
}

/** The API a described scope type needs the metadata to point at (CDS-WG1-02 §3.2). */
const apiOfScopeType: Record<string, string> = {
  cds_client_admin: "cds_clients_api",
  cds_server_provided_files: "cds_server_provided_files_api",
};

describeEachDatabase("served Authorization Server Metadata is self-consistent", (under) => {
  let server: CdsServer;
  let metadata: Record<string, unknown>;
  useListeningServer(under, (started) => (server = started));
  beforeEach(async () => {
    await seedDemoData(under.database.db, null);
    const res = await fetch(`${server.url}/.well-known/oauth-authorization-server`);
    expect(res.status).toBe(200);
    metadata = (await res.json()) as Record<string, unknown>;
  });

  const described = () => Object.values(metadata.cds_scope_descriptions as Record<string, Described>);

  it("validates strictly", () => {
    const result = validateAuthorizationServerMetadata(metadata, "strict");
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it("describes every scope in scopes_supported", () => {
    const ids = new Set(described().map((d) => d.id));
    const scopes = metadata.scopes_supported as string[];
    expect(scopes.length).toBeGreaterThan(0);
    expect(scopes.filter((s) => !ids.has(s))).toEqual([]);
  });

  it("lists at the top level every authorization details type a described scope lists", () => {
    const top = new Set(metadata.authorization_details_types_supported as string[]);
    const listed = described().flatMap((d) => d.authorization_details_types_supported.map((type) => `${d.id}: ${type}`));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((entry) => !top.has(entry.slice(entry.indexOf(": ") + 2)))).toEqual([]);
  });

  it("names in each field's for_types only types its scope lists (§3.8)", () => {
    const outside = described().flatMap((d) =>
      d.authorization_details_fields_supported.flatMap((f) => f.for_types.filter((t) => !d.authorization_details_types_supported.includes(t)).map((t) => `${d.id}.${f.id}: ${t}`)),
    );
    expect(outside).toEqual([]);
  });

  it("points at the API of every described scope type that has one", () => {
    const missing = described()
      .filter((d) => apiOfScopeType[d.type] && typeof metadata[apiOfScopeType[d.type]!] !== "string")
      .map((d) => `${d.id} needs ${apiOfScopeType[d.type]}`);
    expect(missing).toEqual([]);
  });
});
