/**
 * CDS-WG1-02 §4 registration: one request makes a registration, its
 * `cds_client_admin` Client Object, one Client Object per group of other
 * scopes that share response types, grant types and authentication method,
 * a Grant Admin Client Object for every `grant_admin_scope` the scopes name,
 * and a Credential for each Client Object that authenticates.
 */
import type { AnyScopeDescription } from "./scopes.js";
import { randomBytes, randomUUID } from "node:crypto";
import type { ClientRegistrationRequest } from "@cds-toolkit/types";
import type { Db } from "../db/index.js";
import { oauthClients, registrations } from "../db/schema.js";
import { clientUrlViolation } from "./client-urls.js";
import { createCredential } from "./credentials.js";
import { CLIENT_ADMIN_SCOPE, groupKeyOf, sameGroup, type ScopeGroupKey } from "./scopes.js";
import type { ClientMetadataJson, ClientRow } from "./client-objects.js";
import { defaultPurpose } from "../customer-data/scopes/consent.js";

export interface RegistrationOptions {
  /** The Server's default redirect URI, the one entry of every interactive Client Object's `redirect_uris` (CDS-WG1-02 §4.2). */
  defaultRedirectUri: string;
}

/** A refused registration: RFC 7591 §3.2.2 error code and a description naming the field. */
export class RegistrationRefused extends Error {
  readonly error: "invalid_client_metadata" | "invalid_redirect_uri" | "invalid_software_statement" | "unapproved_software_statement";
  constructor(error: RegistrationRefused["error"], description: string) {
    super(description);
    this.name = "RegistrationRefused";
    this.error = error;
  }
}

export interface Registered {
  admin: ClientRow;
  adminSecret: string;
}

/** Fields a Client submits at registration that are kept on every Client Object it gets. */
const submittedFields = ["client_name", "client_uri", "logo_uri", "contacts", "tos_uri", "policy_uri", "jwks_uri", "jwks", "software_id", "software_version"] as const;

/** Client identifiers: 128 random bits, unguessable, so knowing one reveals no other. */
const newClientId = () => randomBytes(16).toString("hex");

/** Which Client Objects a request asks for: lists of scopes, the admin scope first and alone. */
export function planClientObjects(scopes: readonly string[], descriptions: Record<string, AnyScopeDescription>): string[][] {
  const groups: { key: ScopeGroupKey; scopes: string[] }[] = [];
  const wanted = new Set(scopes.filter((s) => s !== CLIENT_ADMIN_SCOPE));
  // §4.2: a scope with a Grant Admin scope brings a Client Object for that Grant Admin scope.
  for (const s of [...wanted]) {
    const admin = descriptions[s]?.grant_admin_scope;
    if (admin) wanted.add(admin);
  }
  for (const s of wanted) {
    const key = groupKeyOf(descriptions[s]!);
    // Grant Admin scopes stay alone: each is its own back-end authorization (§3.3.2).
    const isGrantAdmin = descriptions[s]!.type === "cds_grant_admin";
    const group = isGrantAdmin ? undefined : groups.find((g) => sameGroup(g.key, key) && descriptions[g.scopes[0]!]!.type !== "cds_grant_admin");
    if (group) group.scopes.push(s);
    else groups.push({ key, scopes: [s] });
  }
  return [[CLIENT_ADMIN_SCOPE], ...groups.map((g) => g.scopes)];
}

/** Checks the requested scopes (§4.1); answers the scopes, each once, in request order. */
export function checkRequestedScopes(scope: string, descriptions: Record<string, AnyScopeDescription>): string[] {
  const scopes = [...new Set(scope.split(" ").filter(Boolean))];
  if (!scopes.includes(CLIENT_ADMIN_SCOPE)) {
    throw new RegistrationRefused("invalid_client_metadata", `scope: must include ${CLIENT_ADMIN_SCOPE} (CDS-WG1-02 §4.1)`);
  }
  const unknown = scopes.filter((s) => !Object.hasOwn(descriptions, s));
  if (unknown.length) {
    throw new RegistrationRefused("invalid_client_metadata", `scope: ${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not in cds_scope_descriptions (CDS-WG1-02 §4.1)`);
  }
  return scopes;
}

export async function register(db: Db, request: ClientRegistrationRequest, descriptions: Record<string, AnyScopeDescription>, options: RegistrationOptions): Promise<Registered> {
  const scopes = checkRequestedScopes(request.scope, descriptions);
  // Redirect URIs are ignored here (below), but a bad one is still a mistake worth naming (RFC 7591 §3.2.2).
  const urlViolation = clientUrlViolation(request as unknown as Record<string, unknown>);
  if (urlViolation) {
    const error = urlViolation.pointer.startsWith("/redirect_uris") ? "invalid_redirect_uri" : "invalid_client_metadata";
    throw new RegistrationRefused(error, `${urlViolation.message} (rule: ${urlViolation.rule})`);
  }
  const plan = planClientObjects(scopes, descriptions);
  const submitted: Record<string, unknown> = {};
  for (const field of submittedFields) {
    if (request[field] !== undefined) submitted[field] = request[field];
  }

  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const registrationId = randomUUID();
    await t.insert(registrations).values({ id: registrationId });
    let admin: Registered | undefined;
    for (const group of plan) {
      const key = groupKeyOf(descriptions[group[0]!]!);
      const isAdmin = group[0] === CLIENT_ADMIN_SCOPE;
      const interactive = key.responseTypes.length > 0;
      const scope = group.join(" ");
      const metadata = {
        ...submitted,
        contacts: (submitted.contacts as string[] | undefined) ?? [],
        scope,
        // §4.1: submitted redirect URIs are ignored. §4.2: interactive Client Objects get the Server's default one;
        // Clients add their own through the Clients API (CDS-WG3-01 §13.3.1).
        redirect_uris: interactive ? [options.defaultRedirectUri] : [],
        ...(interactive
          ? {
              cds_default_redirect_uri: options.defaultRedirectUri,
              cds_default_scope: scope,
              // CDS-WG1-02 §5.1: empty at registration. A plain request still gets each scope's field
              // defaults: a requested scope without an entry is read as `{ type }` (authorization-form/request.ts).
              cds_default_authorization_details: [],
              // CDS-WG3-01 §8.1, §8.3: the Server's default Purpose, for the scopes of this Client Object.
              cds_purposes: Object.fromEntries([defaultPurpose(group)].map((p) => [p.id, p])),
            }
          : {}),
        grant_types: key.grantTypes,
        response_types: key.responseTypes,
        token_endpoint_auth_method: key.tokenEndpointAuthMethod,
        authorization_details_types: [...new Set(group.flatMap((s) => descriptions[s]!.authorization_details_types_supported))],
      } as unknown as ClientMetadataJson;
      const [row] = await t
        .insert(oauthClients)
        .values({
          clientId: newClientId(),
          registrationId,
          metadata,
          registeredScope: scope,
          // §5.1: the admin Client Object cannot be disabled; every other one can. Interactive scopes start in the sandbox (§4.2).
          status: interactive ? "sandbox" : "production",
          statusOptions: isAdmin ? ["production"] : [interactive ? "sandbox" : "production", "disabled"],
        })
        .returning();
      if (key.tokenEndpointAuthMethod === null) continue;
      const credential = await createCredential(t, row!.clientId);
      if (isAdmin) admin = { admin: row!, adminSecret: credential.secret };
    }
    return admin!;
  });
}
