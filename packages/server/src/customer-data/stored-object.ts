/**
 * One customer-data object as stored, apart from the database: the public
 * `@cds-toolkit/server` types name it, so it must not reach drizzle's types
 * (tools/checks/consumer-install.test.ts).
 */
import type { CustomerDataKind, CustomerDataObject } from "./data-source.js";

/** One object to store, with the customers it belongs to. */
export type StoredObject = { [K in CustomerDataKind]: { kind: K; object: CustomerDataObject<K>; owners: string[] } }[CustomerDataKind];
