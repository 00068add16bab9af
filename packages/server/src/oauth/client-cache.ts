/**
 * What the token endpoint reads for every request, kept in memory until the
 * database announces a change (db/feed-cache.ts, migration 0009's notices),
 * so a client_credentials request writes its token and reads nothing:
 *
 * - Client Objects as oidc-provider's adapter returns them (adapter.ts), by
 *   client_id, while enabled; `c:<client_id>` (any change to the row) ends
 *   the entry. A Client Object not found, or disabled, is never stored: a
 *   new or re-enabled one is read at its first request.
 * - Accepted secret checks: which Credential a presented secret matched.
 *   Only acceptances are stored, so a flood of wrong secrets fills nothing;
 *   `k:<credential id>` (the Credential changed or deleted) and
 *   `c:<client_id>` end the entry, and the Credential's expiry is checked on
 *   every hit (the clock changes no row). The key is an HMAC under a random
 *   per-process key of the client_id and the presented secret: neither the
 *   secret nor its stored SHA-256 hash ever sits in memory as a key, and a
 *   key means nothing outside this process.
 *
 * One request waits for announcements in transit once (credential-context.ts),
 * however many entries it reads.
 */
import { createHmac, createSecretKey, randomBytes } from "node:crypto";
import type { AdapterPayload } from "oidc-provider";
import type { ChangeFeed } from "../db/change-feed.js";
import { FeedCache } from "../db/feed-cache.js";
import { syncOncePerRequest } from "./credential-context.js";

export interface ClientCaches {
  /** The adapter's payload of each enabled Client Object, as JSON (each hit parses its own copy: oidc-provider may keep what it is given). */
  readonly clients: FeedCache<string, string>;
  /** Accepted secret checks: `secretKey(...)` → the Credential id that matched. */
  readonly secrets: FeedCache<string, string>;
  secretKey(clientId: string, presented: string): string;
  /** The wait for announcements in transit, once per OAuth request. */
  sync(): Promise<boolean>;
  close(): void;
}

export const clientNotice = (clientId: string) => `c:${clientId}`;
export const credentialNotice = (credentialId: string) => `k:${credentialId}`;

/** `changes` null: nothing is cached (every request reads the database). */
export function createClientCaches(changes: ChangeFeed | null, maxEntries = 10_000): ClientCaches {
  // A KeyObject, made once: given raw bytes, every createHmac call prepares a key again (about 6× the cost of the digest, measured).
  const digestKey = createSecretKey(randomBytes(32));
  const clients = new FeedCache<string, string>(changes, maxEntries);
  const secrets = new FeedCache<string, string>(changes, maxEntries);
  return {
    clients,
    secrets,
    // Length-prefixed, so no (client_id, secret) pair can be read as another.
    secretKey: (clientId, presented) => createHmac("sha256", digestKey).update(`${clientId.length}:${clientId}:${presented}`, "utf8").digest("base64url"),
    sync: () => syncOncePerRequest(() => changes?.sync() ?? Promise.resolve(false)),
    close() {
      clients.close();
      secrets.close();
    },
  };
}

/** The payload for a hit, as a copy of its own. */
export const clientPayload = (json: string): AdapterPayload => JSON.parse(json) as AdapterPayload;
