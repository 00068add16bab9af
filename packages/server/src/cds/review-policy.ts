/**
 * Which Client Object changes the Server reviews before applying them
 * (CDS-WG1-02 §5.5): a PUT that changes one of these fields answers 202, and
 * the change waits in a `field_changes` Message until an operator resolves it.
 */
import { isDeepStrictEqual } from "node:util";
import type { Client, ClientUpdateRequest } from "@cds-toolkit/types";

/** §5.5: the fields a Client may change, so the only ones a review can hold back. */
export const modifiableClientFields = [
  "redirect_uris",
  "client_name",
  "client_uri",
  "logo_uri",
  "scope",
  "contacts",
  "tos_uri",
  "policy_uri",
  "cds_status",
  "cds_default_scope",
  "cds_default_redirect_uri",
  "cds_default_authorization_details",
] as const;

export type ModifiableClientField = (typeof modifiableClientFields)[number];

/**
 * Switching a Client Object's status (to `production` above all, §5.2: real
 * customers) is what a utility vets, so it waits by default, for the library
 * as for the command.
 */
export const defaultReviewedClientFields: readonly ModifiableClientField[] = ["cds_status"];

export function isModifiableClientField(name: string): name is ModifiableClientField {
  return (modifiableClientFields as readonly string[]).includes(name);
}

/**
 * The reviewed fields whose shown value differs between `before` and
 * `after`, as §6.5 entries: `null` stands for a field the Client Object would
 * not show. A change to `disabled` is never held: §5.1 lets a Client disable a
 * Client Object whenever it needs to, and a held disable would keep a perhaps
 * compromised Client Object working (spec/ERRATA.md E-WG1-02-24).
 */
export function heldChanges(reviewed: readonly ModifiableClientField[], before: Client, after: Client): ClientUpdateRequest[] {
  const shown = (client: Client, field: ModifiableClientField) => (client as unknown as Record<string, unknown>)[field] ?? null;
  const held: ClientUpdateRequest[] = [];
  for (const field of modifiableClientFields) {
    if (!reviewed.includes(field)) continue;
    if (field === "cds_status" && after.cds_status === "disabled") continue;
    const previous = shown(before, field);
    const next = shown(after, field);
    if (!isDeepStrictEqual(previous, next)) held.push({ field, previous_value: previous, new_value: next });
  }
  return held;
}
