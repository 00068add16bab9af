/**
 * The database schema. Changing it means running `pnpm --filter
 * @cds-toolkit/server db:generate` and committing the new migration under
 * `migrations/`; the server applies pending migrations at startup.
 *
 * API models are never declared here: column types point at the generated
 * `@cds-toolkit/types`, so a contract change surfaces as a type error.
 */
import type {
  AuthorizationDetail,
  CapabilityRole,
  ClientGrantRequest,
  ClientMessageRelatedType,
  ClientMessageStatus,
  ClientMessageType,
  ClientStatus,
  ClientUpdateRequest,
  GrantStatus,
  MessageAttachment, CommodityType, CoverageType, InfrastructureType, ServerCapability } from "@cds-toolkit/types";
import type { ClientMetadata } from "oidc-provider";
import type { CustomerDataKind, CustomerDataObject } from "../customer-data/data-source.js";
import { boolean, customType, index, jsonb, pgTable, primaryKey, text, timestamp, type AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * Millisecond precision: what a JavaScript `Date` holds, so a timestamp read
 * back is exactly the one written, and pagination cursors built from it
 * compare equal in SQL.
 */
const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });

/** CDS-WG1-01 §3.2. One row per metadata document; `well-known` is the one at the well-known URI. */
export const serverMetadata = pgTable("server_metadata", {
  id: text("id").primaryKey(),
  created: instant("created").notNull(),
  updated: instant("updated").notNull(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  website: text("website").notNull(),
  documentation: text("documentation").notNull(),
  support: text("support").notNull(),
  capabilities: text("capabilities").array().$type<ServerCapability[]>().notNull(),
  relatedMetadata: text("related_metadata").array().$type<string[]>(),
  /** CDS-WG1-02 §3.2 fields of the RFC 8414 document; null falls back to `documentation`. */
  oauthPolicyUri: text("oauth_policy_uri"),
  oauthTosUri: text("oauth_tos_uri"),
  humanRegistrationUri: text("human_registration_uri"),
  /** CDS-WG1-02 §3.2 `cds_timezone`: an IANA time zone. */
  timezone: text("timezone").notNull().default("UTC"),
});

/**
 * One row per CDS-WG1-02 registration (§4): the Client Objects it created
 * belong to it, and a `cds_client_admin` token sees only its registration's
 * objects.
 */
export const registrations = pgTable("registrations", {
  id: text("id").primaryKey(),
  createdAt: instant("created_at").notNull().defaultNow(),
});

/** CDS-WG1-01 §4.3. */
export const coverageEntries = pgTable(
  "coverage_entries",
  {
    id: text("id").primaryKey(),
    created: instant("created").notNull(),
    updated: instant("updated").notNull(),
    entityName: text("entity_name").notNull(),
    entityAbbreviation: text("entity_abbreviation"),
    country: text("country").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    type: text("type").$type<CoverageType>().notNull(),
    role: text("role").$type<CapabilityRole>().notNull(),
    infrastructureTypes: text("infrastructure_types").array().$type<InfrastructureType[]>().notNull(),
    commodityTypes: text("commodity_types").array().$type<CommodityType[]>().notNull(),
    capabilities: text("capabilities").array().$type<ServerCapability[]>().notNull(),
    mapResource: text("map_resource"),
    mapContentType: text("map_content_type"),
    geojsonResource: text("geojson_resource"),
  },
  // The listing order (CDS-WG1-01 §4.1) and the keyset cursor walk this index.
  (t) => [index("coverage_entries_listing_order").on(t.updated.desc(), t.id.desc())],
);

/**
 * OAuth clients as oidc-provider reads them (RFC 7591 metadata). Secrets are
 * not part of the metadata: they live, hashed, in `client_secrets`.
 */
export const oauthClients = pgTable(
  "oauth_clients",
  {
    clientId: text("client_id").primaryKey(),
    createdAt: instant("created_at").notNull().defaultNow(),
    /** RFC 7591 metadata and the Client-set `cds_default_*` fields (CDS-WG1-02 §5.1). */
    metadata: jsonb("metadata").$type<Omit<ClientMetadata, "client_id" | "client_secret">>().notNull(),
    /** The registration this Client Object belongs to; null for clients made outside registration. */
    registrationId: text("registration_id").references((): AnyPgColumn => registrations.id, { onDelete: "cascade" }),
    modifiedAt: instant("modified_at").notNull().defaultNow(),
    status: text("status").$type<ClientStatus>().notNull().default("production"),
    statusOptions: text("status_options").array().$type<ClientStatus[]>().notNull().default(["production"]),
    /** When the Client Object was last disabled: its Credentials show it as their expiry (§7.1). */
    disabledAt: instant("disabled_at"),
    /** The scope given at registration: what an omitted `scope` resets to (§5.5). */
    registeredScope: text("registered_scope"),
  },
  // The Clients listing (newest `cds_modified` first) walks this index.
  (t) => [index("oauth_clients_listing_order").on(t.registrationId, t.modifiedAt.desc(), t.clientId.desc())],
);

/**
 * A client's secrets (several per client, as the CDS-WG1-02 Credentials API
 * needs), stored as SHA-256 hashes: secrets are 256-bit random strings, so a
 * fast hash is enough and a leaked table reveals no usable secret.
 */
export const clientSecrets = pgTable(
  "client_secrets",
  {
    id: text("id").primaryKey(),
    clientId: text("client_id")
      .notNull()
      .references(() => oauthClients.clientId, { onDelete: "cascade" }),
    secretSha256: text("secret_sha256").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
    modifiedAt: instant("modified_at").notNull().defaultNow(),
    expiresAt: instant("expires_at"),
  },
  (t) => [index("client_secrets_client_id").on(t.clientId), index("client_secrets_listing_order").on(t.modifiedAt.desc(), t.id.desc())],
);

/**
 * CDS-WG1-02 §8 Grants. `children` is derived from `parent`; `replacing` and
 * `replaced_by` hold Grant ids (the API shows them as URLs).
 */
export const grants = pgTable(
  "grants",
  {
    id: text("id").primaryKey(),
    clientId: text("client_id")
      .notNull()
      .references(() => oauthClients.clientId, { onDelete: "cascade" }),
    createdAt: instant("created_at").notNull().defaultNow(),
    modifiedAt: instant("modified_at").notNull().defaultNow(),
    notBefore: instant("not_before"),
    notAfter: instant("not_after"),
    eta: instant("eta"),
    expires: instant("expires"),
    status: text("status").$type<GrantStatus>().notNull(),
    scope: text("scope").notNull(),
    authorizationDetails: jsonb("authorization_details").$type<AuthorizationDetail[]>().notNull().default([]),
    receiptConfirmations: text("receipt_confirmations").array().$type<string[]>().notNull().default([]),
    enabledScope: text("enabled_scope").notNull(),
    enabledAuthorizationDetails: jsonb("enabled_authorization_details").$type<AuthorizationDetail[]>().notNull().default([]),
    parent: text("parent").references((): AnyPgColumn => grants.id, { onDelete: "set null" }),
    replacing: text("replacing").array().$type<string[]>().notNull().default([]),
    replacedBy: text("replaced_by").array().$type<string[]>().notNull().default([]),
    /** The customer this Grant is for: who authorized it, or who alone may authorize it (CDS-WG1-02 §8.3 `cds_grant_id_invalid_user`). */
    accountId: text("account_id"),
    /** oidc-provider's grant whose tokens carry this Grant's access; closing the Grant revokes them. */
    oidcGrantId: text("oidc_grant_id"),
    /**
     * What the customer selected on the Authorization Form, by Selection type
     * (CDS-WG3-01 §6: access follows the selection, e.g. all meters of the
     * selected services even after a meter swap); null for Grants not made there.
     */
    customerSelection: jsonb("customer_selection").$type<CustomerSelection[]>(),
  },
  (t) => [
    index("grants_listing_order").on(t.modifiedAt.desc(), t.id.desc()),
    index("grants_client_id").on(t.clientId),
    index("grants_parent").on(t.parent),
    index("grants_oidc_grant_id").on(t.oidcGrantId),
  ],
);

/** One Request Section's selection (authorization-form/consent-flow.ts). */
export interface CustomerSelection {
  scopes: string[];
  type: string;
  ids: string[];
  numbers: string[];
  includeFuture: boolean;
}

/**
 * CDS-WG3-01 §9.4 Authorization Receipts. `id` is the random path segment of
 * the receipt's URL, unrelated to `confirmation`, the number the customer
 * quotes and the Grant lists in `receipt_confirmations`. `content` is the form
 * as approved (client name and URI, data, durations, selections, purpose,
 * terms), never re-read from the Client later.
 */
export const authorizationReceipts = pgTable(
  "authorization_receipts",
  {
    id: text("id").primaryKey(),
    confirmation: text("confirmation").notNull().unique(),
    grantId: text("grant_id")
      .notNull()
      .references(() => grants.id, { onDelete: "cascade" }),
    accountId: text("account_id").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index("authorization_receipts_grant_id").on(t.grantId)],
);

/** Receipt notifications waiting for an operator when no SMTP server is configured (CDS-WG3-01 §9.4). */
export const mailOutbox = pgTable("mail_outbox", {
  id: text("id").primaryKey(),
  createdAt: instant("created_at").notNull().defaultNow(),
  to: text("to").notNull(),
  subject: text("subject").notNull(),
  text: text("text").notNull(),
});

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/**
 * CDS-WG1-02 §9 Server-Provided Files. A file belongs to no one: Clients
 * reach it through Grants whose authorization details name its `file_id`
 * (§3.3.3). Contents live in the database so every instance serves the same
 * bytes; the files this API is meant for are documents, not bulk data (§9).
 */
export const serverProvidedFiles = pgTable(
  "server_provided_files",
  {
    id: text("id").primaryKey(),
    createdAt: instant("created_at").notNull().defaultNow(),
    modifiedAt: instant("modified_at").notNull().defaultNow(),
    mimeType: text("mime_type").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    content: bytea("content").notNull(),
  },
  (t) => [index("server_provided_files_listing_order").on(t.modifiedAt.desc(), t.id.desc())],
);

/**
 * CDS-WG1-02 §6 Messages, one registration's conversation with the Server.
 * The three listings (outstanding, unread, read) are views of these rows, so
 * they never disagree (spec/ERRATA.md E-WG1-02-15).
 */
export const messages = pgTable(
  "messages",
  {
    id: text("id").primaryKey(),
    registrationId: text("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    createdAt: instant("created_at").notNull().defaultNow(),
    modifiedAt: instant("modified_at").notNull().defaultNow(),
    previousId: text("previous_id"),
    type: text("type").$type<ClientMessageType>().notNull(),
    read: boolean("read").notNull(),
    /** null when the Server wrote it, otherwise the creating Client Object's id. */
    creator: text("creator"),
    status: text("status").$type<ClientMessageStatus>().notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    updatesRequested: jsonb("updates_requested").$type<ClientUpdateRequest[]>(),
    grantsRequested: jsonb("grants_requested").$type<ClientGrantRequest[]>(),
    attachments: jsonb("attachments").$type<MessageAttachment[]>(),
    relatedUri: text("related_uri"),
    relatedType: text("related_type").$type<ClientMessageRelatedType>(),
  },
  (t) => [index("messages_listing_order").on(t.registrationId, t.modifiedAt.desc(), t.id.desc())],
);

/** oidc-provider's artifacts (tokens, grants, sessions, PAR requests, ...), one table for every model. */
export const oidcArtifacts = pgTable(
  "oidc_artifacts",
  {
    model: text("model").notNull(),
    id: text("id").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    grantId: text("grant_id"),
    userCode: text("user_code"),
    uid: text("uid"),
    expiresAt: instant("expires_at"),
    consumedAt: instant("consumed_at"),
    /** The Credential (`client_secrets.id`) that authenticated the request that made this artifact. */
    credentialId: text("credential_id"),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index("oidc_artifacts_grant_id").on(t.grantId),
    index("oidc_artifacts_uid").on(t.uid),
    index("oidc_artifacts_user_code").on(t.userCode),
    index("oidc_artifacts_expires_at").on(t.expiresAt),
    index("oidc_artifacts_credential_id").on(t.credentialId),
  ],
);

/**
 * Keys every instance must share (token signing keys, cookie keys): made once
 * by whichever instance starts first, then read by all.
 */
export const serverKeys = pgTable("server_keys", {
  id: text("id").primaryKey(),
  value: jsonb("value").$type<unknown>().notNull(),
  createdAt: instant("created_at").notNull().defaultNow(),
});

/**
 * The customers who sign in on the authorization-code login page; a token's
 * `sub` is the account id. The password is kept only as a self-describing
 * PHC string (argon2id; older rows scrypt until the next login,
 * customers/password.ts), so its cost can change while old hashes still
 * verify.
 */
export const customers = pgTable("customers", {
  accountId: text("account_id").primaryKey(),
  username: text("username").notNull().unique("customers_username_unique"),
  displayName: text("display_name").notNull(),
  passwordHash: text("password_hash").notNull(),
  /** Where Authorization Receipts are sent (CDS-WG3-01 §9.4); null: the customer gets none by email. */
  email: text("email"),
  createdAt: instant("created_at").notNull().defaultNow(),
  modifiedAt: instant("modified_at").notNull().defaultNow(),
});

/** Text compared bytewise, so SQL ordering is the same "alphanumeric" order JavaScript's `<` gives. */
const bytewiseText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

/**
 * The reference `CustomerDataSource` (customer-data/database-source.ts): every
 * CDS-WG3-01 §10 object, one row each, with the facts its listing filters,
 * bounds and orders on (customer-data/listing-rules.ts) kept beside it.
 * `filter_keys` holds `name=value` entries, one per value of each list
 * filter, so one GIN index answers every filter of every API.
 */
export const customerDataObjects = pgTable(
  "customer_data_objects",
  {
    kind: text("kind").$type<CustomerDataKind>().notNull(),
    /** Bytewise too: it breaks ties in the listing order. */
    id: bytewiseText("id").notNull(),
    /** The customers (`customers.account_id`) the object belongs to; an Aggregation may span several. */
    owners: text("owners").array().$type<string[]>().notNull(),
    orderKey: bytewiseText("order_key").notNull(),
    rangeStart: bytewiseText("range_start"),
    rangeEnd: bytewiseText("range_end"),
    filterKeys: text("filter_keys").array().$type<string[]>().notNull(),
    search: jsonb("search").$type<Record<string, string[]>>().notNull(),
    object: jsonb("object").$type<CustomerDataObject<CustomerDataKind>>().notNull(),
    /** The object's `cds_created`, as a time: what a Grant's `sync_until` (CDS-WG3-01 §7.3.1) bounds, by index. */
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }),
    /**
     * Usage Segments only: the segment's JSON, checked against the strict
     * schema when written, as head and cells (customer-data/segment-json.ts),
     * so a listing copies text instead of reading and serialising `object`
     * (a year of 15-minute usage is a megabyte a page). Null for rows written
     * before migration 0012 and for segments with an empty Value Set: those
     * are served from `object`.
     */
    headJson: text("head_json"),
    valuesCells: text("values_cells"),
    /** A hash of `values_cells`: names the cells' content, so a server may keep them in memory between requests without ever serving stale ones. */
    cellsHash: text("cells_hash"),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.id] }),
    index("customer_data_objects_order").on(t.kind, t.orderKey, t.id),
    index("customer_data_objects_owners").using("gin", t.owners),
    index("customer_data_objects_filter_keys").using("gin", t.filterKeys),
    index("customer_data_objects_range_start").on(t.kind, t.rangeStart),
    index("customer_data_objects_range_end").on(t.kind, t.rangeEnd),
    index("customer_data_objects_created_at").on(t.kind, t.createdAt),
  ],
);
