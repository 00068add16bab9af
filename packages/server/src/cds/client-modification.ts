/**
 * PUT on a Client Object (CDS-WG1-02 §5.5, spec/ERRATA.md E-WG1-02-5): a full
 * replacement in the RFC 7592 manner. The 12 modifiable fields take the
 * submitted value, or their default when omitted; every other field is
 * accepted only unchanged (400 naming the field otherwise).
 *
 * `cds_status` is the exception to "omitted means default": its default would
 * be the status at creation, so an omitted status would re-enable a disabled
 * Client Object. Omitted, it stays as it is.
 */
import type { AnyScopeDescription } from "./scopes.js";
import { isDeepStrictEqual } from "node:util";
import type { Client, ClientModificationRequest } from "@cds-toolkit/types";
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { clientSecrets, oauthClients, oidcArtifacts } from "../db/schema.js";
import { fieldError } from "../http/request-body.js";
import type { ClientMetadataJson, ClientRow } from "./client-objects.js";
import { clientUrlViolation } from "./client-urls.js";
import { credentialUri } from "./credentials.js";
import { addChangelogMessage } from "./messages.js";
import type { PublicUrls } from "../urls.js";
import { CLIENT_ADMIN_SCOPE, groupKeyOf, sameGroup } from "./scopes.js";

/** Fields the Client may not change: accepted only equal to the current Client Object's. */
const unchangeable = [
  "client_id",
  "client_id_issued_at",
  "grant_types",
  "response_types",
  "token_endpoint_auth_method",
  "authorization_details_types",
  "jwks_uri",
  "jwks",
  "software_id",
  "software_version",
  "cds_created",
  "cds_modified",
  "cds_client_uri",
  "cds_server_metadata",
  "cds_status_options",
] as const;

/** Optional modifiable fields: removed when omitted. */
const optionalUrls = ["client_uri", "logo_uri", "tos_uri", "policy_uri"] as const;
const interactiveOnly = ["cds_default_scope", "cds_default_redirect_uri", "cds_default_authorization_details"] as const;

export interface ModificationResult {
  metadata: ClientMetadataJson;
  status: Client["cds_status"];
  /** Whether this change disables the Client Object (its tokens must die now). */
  disables: boolean;
  /** Whether this change takes a disabled Client Object out of `disabled` (its Credentials' own expiries show again). */
  enables: boolean;
}

export function applyModification(
  row: ClientRow,
  current: Client,
  body: ClientModificationRequest,
  descriptions: Record<string, AnyScopeDescription>,
): ModificationResult {
  const submitted = body as Record<string, unknown>;
  const shown = current as unknown as Record<string, unknown>;
  for (const field of unchangeable) {
    if (submitted[field] !== undefined && !isDeepStrictEqual(submitted[field], shown[field])) {
      throw fieldError(`/${field}`, "immutable", `${field} is set by the Server and cannot be changed`);
    }
  }

  const interactive = current.response_types.length > 0;
  const redirectUris = body.redirect_uris ?? [];
  if (!interactive && redirectUris.length) {
    throw fieldError("/redirect_uris", "not-applicable", "redirect_uris must be empty: this Client Object has no response types");
  }
  for (const field of interactiveOnly) {
    if (!interactive && submitted[field] !== undefined) {
      throw fieldError(`/${field}`, "not-applicable", `${field} applies only to Client Objects with response types`);
    }
  }

  const urlViolation = clientUrlViolation(submitted);
  if (urlViolation) throw fieldError(urlViolation.pointer, urlViolation.rule, urlViolation.message.slice(urlViolation.pointer.length + 2));

  const scope = body.scope ?? row.registeredScope ?? current.scope;
  checkScope(scope, current, descriptions);

  const status = body.cds_status ?? current.cds_status;
  if (status !== current.cds_status && !current.cds_status_options.includes(status)) {
    throw fieldError("/cds_status", "cds_status_options", `cds_status must be one of cds_status_options (${current.cds_status_options.join(", ")})`);
  }

  const previous = row.metadata as Record<string, unknown>;
  const metadata: Record<string, unknown> = {
    // Server-decided fields stay as they are.
    grant_types: previous.grant_types,
    response_types: previous.response_types,
    token_endpoint_auth_method: previous.token_endpoint_auth_method,
    authorization_details_types: previous.authorization_details_types,
    ...(previous.jwks_uri === undefined ? {} : { jwks_uri: previous.jwks_uri }),
    ...(previous.jwks === undefined ? {} : { jwks: previous.jwks }),
    ...(previous.software_id === undefined ? {} : { software_id: previous.software_id }),
    ...(previous.software_version === undefined ? {} : { software_version: previous.software_version }),
    // CDS-WG3-01 §8.2: the Server's default Purposes stay whatever the request says.
    ...(previous.cds_purposes === undefined ? {} : { cds_purposes: previous.cds_purposes }),
    // Modifiable fields: the submitted value, or the default.
    scope,
    redirect_uris: redirectUris,
    contacts: body.contacts ?? [],
    ...(body.client_name === undefined ? {} : { client_name: body.client_name }),
  };
  for (const field of optionalUrls) if (body[field] !== undefined) metadata[field] = body[field];
  for (const field of interactiveOnly) if (submitted[field] !== undefined) metadata[field] = submitted[field];
  return {
    metadata: metadata as ClientMetadataJson,
    status,
    disables: status === "disabled" && current.cds_status !== "disabled",
    enables: status !== "disabled" && current.cds_status === "disabled",
  };
}

/** A new scope must be described, fit this Client Object's grant and response types (§4.2), and keep admin apart. */
function checkScope(scope: string, current: Client, descriptions: Record<string, AnyScopeDescription>): void {
  const scopes = scope.split(" ").filter(Boolean);
  const isAdmin = current.scope.split(" ").includes(CLIENT_ADMIN_SCOPE);
  if (isAdmin && !scopes.includes(CLIENT_ADMIN_SCOPE)) {
    throw fieldError("/scope", "cds_client_admin", "the cds_client_admin Client Object must keep the cds_client_admin scope");
  }
  const key = { responseTypes: current.response_types, grantTypes: current.grant_types, tokenEndpointAuthMethod: current.token_endpoint_auth_method };
  // §5.5: a value the Client Object already has is always accepted, whatever the Server describes today.
  const held = new Set(current.scope.split(" ").filter(Boolean));
  for (const s of scopes) {
    if (held.has(s)) continue;
    const description = descriptions[s];
    if (!description) throw fieldError("/scope", "cds_scope_descriptions", `${s} is not in cds_scope_descriptions`);
    if ((s === CLIENT_ADMIN_SCOPE) !== isAdmin || !sameGroup(groupKeyOf(description), key)) {
      throw fieldError("/scope", "scope-group", `${s} cannot be used by this Client Object (its grant types, response types or authentication differ)`);
    }
  }
}

/**
 * Saves a checked change, in the caller's transaction (with the Messages that
 * record it); disabling also deletes every token its Credentials obtained.
 * Disabling or re-enabling changes the expiry every Credential of the Client
 * Object shows (§7.1), so each of them is marked modified and gets its §7.3
 * changelog Message here, in the same transaction (never with a secret).
 */
export async function writeModification(tx: Db, target: { clientId: string; registrationId: string | null; urls: PublicUrls }, result: ModificationResult): Promise<void> {
  const { clientId } = target;
  await tx
    .update(oauthClients)
    .set({
      metadata: result.metadata,
      status: result.status,
      modifiedAt: sql`now()`,
      ...(result.disables ? { disabledAt: sql`now()` } : {}),
    })
    .where(eq(oauthClients.clientId, clientId));
  if (result.disables) {
    const credentials = tx.select({ id: clientSecrets.id }).from(clientSecrets).where(eq(clientSecrets.clientId, clientId));
    await tx.delete(oidcArtifacts).where(inArray(oidcArtifacts.credentialId, credentials));
  }
  if (result.disables || result.enables) await logCredentialsFollowingStatus(tx, target, result.disables);
}

async function logCredentialsFollowingStatus(tx: Db, target: { clientId: string; registrationId: string | null; urls: PublicUrls }, disabled: boolean): Promise<void> {
  const { clientId, registrationId, urls } = target;
  const changed = await tx.update(clientSecrets).set({ modifiedAt: sql`now()` }).where(eq(clientSecrets.clientId, clientId)).returning({ id: clientSecrets.id });
  // A Client Object made outside registration (demo seeds) has no Messages listing to log to.
  if (registrationId === null) return;
  for (const { id } of changed) {
    await addChangelogMessage(tx, registrationId, {
      name: `Credential ${id} modified`,
      description: disabled
        ? `Credential ${id} expired: its Client Object ${clientId} was disabled, and its tokens are revoked.`
        : `Credential ${id} shows its own expiry again: its Client Object ${clientId} is no longer disabled.`,
      relatedUri: credentialUri(urls, id),
      relatedType: "credential",
    });
  }
}
