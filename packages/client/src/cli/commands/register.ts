/**
 * `cds register`: one registration (CDS-WG1-02 §4), and, when `--redirect-uri`
 * is given, its authorization-code Client Objects made ready for
 * `cds authorize`. A Server ignores redirect URIs submitted at registration
 * (§4.1) and returns only the admin Client Object's secret (§4.2), so the
 * command then does what the spec's walkthrough does by hand (CDS-WG3-01
 * §13.3.1): with the admin token, adds the loopback redirect URI to each such
 * Client Object through the Clients API (§5.5, a full replacement that echoes
 * every other field back unchanged) and makes it a Credential (§7.3) whose
 * secret goes to the config file. Nothing secret is printed.
 */
import { CdsApi } from "../../apis/cds-api.js";
import { oauthContext } from "../../oauth/context.js";
import { registerClient } from "../../oauth/registration.js";
import { ClientCredentialsTokens } from "../../oauth/tokens.js";
import { entry, type StoredClient } from "../config.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../exit.js";

export interface RegisterOptions {
  scope: string;
  name: string;
  contact?: string[];
  redirectUri?: string[];
  field?: string[];
}

function extraFields(pairs: readonly string[] = []): Record<string, unknown> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 1) throw new UsageError("--field", `must be name=value (got ${JSON.stringify(pair)})`);
      const raw = pair.slice(eq + 1);
      let value: unknown = raw;
      try {
        value = JSON.parse(raw);
      } catch {
        // a plain string
      }
      return [pair.slice(0, eq), value];
    }),
  );
}

export async function registerCommand(c: CliContext, options: RegisterOptions): Promise<void> {
  const discovery = await c.discovery();
  const request = { scope: options.scope, client_name: options.name, ...(options.contact ? { contacts: options.contact } : {}), ...(options.redirectUri ? { redirect_uris: options.redirectUri } : {}), ...extraFields(options.field) };
  const registration = await registerClient(discovery, request as never);
  const key = discovery.metadataUrl;
  const admin: StoredClient = { client_id: registration.client_id, client_secret: registration.client_secret ?? "", scope: registration.scope };
  const isAdmin = registration.scope.split(" ").includes("cds_client_admin");
  await c.config.update((config) => {
    const server = entry(config, key);
    server.clients[admin.client_id] = admin;
    if (isAdmin) server.admin = admin.client_id;
  });

  const prepared: StoredClient[] = [];
  if (options.redirectUri?.length && isAdmin) {
    const tokens = new ClientCredentialsTokens(oauthContext(discovery), { clientId: admin.client_id, clientSecret: admin.client_secret, scope: "cds_client_admin", store: c.config.tokenStore(key) });
    const api = new CdsApi(discovery, { tokens });
    for await (const client of api.clients.all()) {
      if (client.client_id === admin.client_id || !(client.grant_types ?? []).includes("authorization_code")) continue;
      const uris = [...new Set([...(client.redirect_uris ?? []), ...options.redirectUri])];
      await api.clients.modify(client.client_id, { ...(client as object), redirect_uris: uris } as never);
      const credential = await api.credentials.create({ client_id: client.client_id } as never);
      if (typeof credential.client_secret !== "string") throw new UsageError("--redirect-uri", `the Server made no secret for Client Object ${client.client_id}`);
      prepared.push({ client_id: client.client_id, client_secret: credential.client_secret, scope: client.scope, redirect_uri: options.redirectUri[0]! });
    }
    await c.config.update((config) => {
      const server = entry(config, key);
      for (const p of prepared) server.clients[p.client_id] = p;
      if (prepared[0]) server.app = prepared[0].client_id;
    });
  }

  if (c.options.json) {
    return c.json({ client_id: registration.client_id, scope: registration.scope, cds_status: registration.cds_status, authorization_code_clients: prepared.map((p) => ({ client_id: p.client_id, scope: p.scope, redirect_uri: p.redirect_uri })), stored_in: c.config.path });
  }
  c.out(`Registered ${registration.client_id} (${registration.scope}); its secret is stored in ${c.config.path}`);
  for (const p of prepared) c.out(`  ${p.client_id} (${p.scope}): redirect URI ${p.redirect_uri} added and a Credential made; \`cds authorize\` uses it`);
}
