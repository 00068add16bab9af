/**
 * Client Object changes held for the Server's review (CDS-WG1-02 §5.5, and
 * the `field_changes` Message of §6.2 and §6.5): a PUT split into what
 * applies now and what waits, the Message recording what waits, and the
 * held values applied once an operator approves them.
 */
import type { AnyScopeDescription } from "./scopes.js";
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import type { ClientModificationRequest, ClientUpdateRequest } from "@cds-toolkit/types";
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { messages } from "../db/schema.js";
import { ProblemError } from "../http/problem.js";
import type { PublicUrls } from "../urls.js";
import { applyModification, writeModification, type ModificationResult } from "./client-modification.js";
import { clientUri, lockClientRow, toClient, type ClientRow } from "./client-objects.js";
import { addChangelogMessage } from "./messages.js";
import { heldChanges, isModifiableClientField, type ModifiableClientField } from "./review-policy.js";

export interface ModificationPlan {
  /** What applies now: every reviewed field keeps its current value. */
  now: ModificationResult;
  /** Whether `now` changes anything the Client Object shows. */
  changesNow: boolean;
  /** The reviewed changes that wait (§6.5 entries); none means the whole PUT applies (200). */
  held: ClientUpdateRequest[];
}

/**
 * Checks the whole PUT first (§5.5: only a valid request is accepted, held
 * fields included), then works out which reviewed fields it changes and
 * applies the rest as if those had been sent unchanged.
 */
export function planModification(
  row: ClientRow,
  body: ClientModificationRequest,
  descriptions: Record<string, AnyScopeDescription>,
  reviewed: readonly ModifiableClientField[],
  urls: PublicUrls,
): ModificationPlan {
  const current = toClient(row, urls);
  const shownAfter = (result: ModificationResult) => toClient({ ...row, metadata: result.metadata, status: result.status }, urls);
  const full = applyModification(row, current, body, descriptions);
  const held = heldChanges(reviewed, current, shownAfter(full));
  if (!held.length) return { now: full, changesNow: !isDeepStrictEqual(current, shownAfter(full)), held };
  const kept: Record<string, unknown> = { ...body };
  for (const change of held) {
    if (change.previous_value === null) delete kept[change.field];
    else kept[change.field] = change.previous_value;
  }
  const now = applyModification(row, current, kept as ClientModificationRequest, descriptions);
  return { now, changesNow: !isDeepStrictEqual(current, shownAfter(now)), held };
}

export type ModificationOutcome = { found: false } | { found: true; held: boolean };

/**
 * A PUT, planned and written in one transaction on the locked Client Object:
 * the synchronous part with its §5.3 changelog Message (always when nothing
 * is held, as every PUT was logged before reviews existed), and the held part
 * as a `field_changes` Message. A refused body (ProblemError) writes nothing.
 */
export async function modifyClient(
  db: Db,
  urls: PublicUrls,
  target: { registrationId: string; clientId: string },
  body: ClientModificationRequest,
  descriptions: Record<string, AnyScopeDescription>,
  reviewed: readonly ModifiableClientField[],
): Promise<ModificationOutcome> {
  const { registrationId, clientId } = target;
  const uri = clientUri(urls, clientId);
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const row = await lockClientRow(tx, registrationId, clientId);
    if (!row) return { found: false };
    const plan = planModification(row, body, descriptions, reviewed, urls);
    if (!plan.held.length || plan.changesNow) {
      await writeModification(tx, { clientId, registrationId, urls }, plan.now);
      const reviewing = plan.held.length ? `; changes to ${fieldList(plan.held)} await the Server's review` : "";
      await addChangelogMessage(tx, registrationId, {
        name: `Client Object ${clientId} modified`,
        description: plan.now.disables ? `Client Object ${clientId} was modified and is now disabled${reviewing}.` : `Client Object ${clientId} was modified${reviewing}.`,
        relatedUri: uri,
        relatedType: "client",
      });
    }
    if (plan.held.length) await recordFieldChanges(tx, registrationId, clientId, uri, plan.held);
    return { found: true, held: plan.held.length > 0 };
  });
}

/**
 * The `field_changes` Message (§6.2: written by the Server, so `creator` is
 * null; pending until resolved). A change identical to one already pending
 * for the same Client Object is not queued twice (spec/ERRATA.md E-WG1-02-24).
 */
async function recordFieldChanges(tx: Db, registrationId: string, clientId: string, uri: string, held: ClientUpdateRequest[]): Promise<void> {
  const pending = await tx
    .select({ updates: messages.updatesRequested })
    .from(messages)
    .where(and(eq(messages.registrationId, registrationId), eq(messages.type, "field_changes"), eq(messages.status, "pending"), eq(messages.relatedUri, uri)));
  const waiting = pending.flatMap((m) => m.updates ?? []);
  const fresh = held.filter((change) => !waiting.some((w) => isDeepStrictEqual(w, change)));
  if (!fresh.length) return;
  await tx.insert(messages).values({
    id: randomUUID(),
    registrationId,
    type: "field_changes",
    read: false,
    creator: null,
    status: "pending",
    name: `Changes to Client Object ${clientId} under review`,
    description: `The Server reviews changes to ${fieldList(fresh)} before applying them. Until then the Client Object keeps its current values; this Message's status tells the outcome.`,
    updatesRequested: fresh,
    relatedUri: uri,
    relatedType: "client",
  });
}

export type ApplyOutcome = { applied: true } | { applied: false; reason: string };

/**
 * Applies approved changes to the Client Object as it is now: each field must
 * still show its `previous_value` (a later PUT may have changed it), and the
 * result must pass the §5.5 checks against the current Client Object (its
 * status options or scopes may have changed).
 */
export async function applyHeldChanges(
  tx: Db,
  row: ClientRow,
  changes: readonly ClientUpdateRequest[],
  descriptions: Record<string, AnyScopeDescription>,
  urls: PublicUrls,
): Promise<ApplyOutcome> {
  const current = toClient(row, urls);
  const body: Record<string, unknown> = { ...current };
  for (const change of changes) {
    if (!isModifiableClientField(change.field)) return { applied: false, reason: `${change.field} is not a field a Client may change (CDS-WG1-02 §5.5).` };
    const shown = body[change.field] ?? null;
    if (!isDeepStrictEqual(shown, change.previous_value ?? null)) {
      return { applied: false, reason: `${change.field} has changed since this request was made, so the requested change no longer applies; submit it again if it is still wanted.` };
    }
    if (change.new_value === null || change.new_value === undefined) delete body[change.field];
    else body[change.field] = change.new_value;
  }
  let result: ModificationResult;
  try {
    result = applyModification(row, current, body as ClientModificationRequest, descriptions);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return { applied: false, reason: `The change no longer applies to the Client Object: ${error.errors?.[0]?.message ?? error.message}.` };
  }
  await writeModification(tx, { clientId: row.clientId, registrationId: row.registrationId, urls }, result);
  // §5.3: a change the Server makes after registration is logged like the Client's own.
  if (row.registrationId !== null) {
    await addChangelogMessage(tx, row.registrationId, {
      name: `Client Object ${row.clientId} modified`,
      description: `Client Object ${row.clientId} was modified: the reviewed changes to ${fieldList(changes)} were approved and applied.`,
      relatedUri: clientUri(urls, row.clientId),
      relatedType: "client",
    });
  }
  return { applied: true };
}

export function fieldList(changes: readonly ClientUpdateRequest[]): string {
  return changes.map((c) => c.field).join(", ");
}
