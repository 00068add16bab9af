/**
 * Authorization Receipts (CDS-WG3-01 §9.4): made at once on approval, at a
 * random URL unrelated to the confirmation number, which also goes into the
 * Grant's `receipt_confirmations`; the content is the form as approved.
 */
import { randomBytes, randomInt } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { authorizationReceipts, grants } from "../db/schema.js";
import type { ApprovedRecord } from "./receipt-changes.js";

export interface ReceiptSection {
  data: string[];
  durations: string[];
  selection: { what: string; one: string; numbers: string[]; includeFuture: boolean; futureWords: string };
  purpose: { content: string; relatedUri: string | null; relatedName: string | null; byClient: boolean } | null;
}

export interface ReceiptContent {
  clientName: string;
  clientUri: string | null;
  sections: ReceiptSection[];
  tosUri: string | null;
  /** What was approved, for showing later changes (§9.4); absent in receipts made before it was recorded. */
  approved?: ApprovedRecord;
  [key: string]: unknown;
}

export type ReceiptRow = typeof authorizationReceipts.$inferSelect;

/** 12 digits, grouped for reading aloud to support; unique by table constraint (retried on a clash). */
const newConfirmation = () => Array.from({ length: 3 }, () => String(randomInt(0, 10_000)).padStart(4, "0")).join("-");

export async function createReceipt(db: Db, grantId: string, accountId: string, content: ReceiptContent): Promise<ReceiptRow> {
  for (let attempt = 0; ; attempt++) {
    const confirmation = newConfirmation();
    try {
      return await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(authorizationReceipts)
          .values({ id: randomBytes(16).toString("hex"), confirmation, grantId, accountId, content })
          .returning();
        await tx
          .update(grants)
          .set({ receiptConfirmations: sql`array_append(${grants.receiptConfirmations}, ${confirmation})` })
          .where(eq(grants.id, grantId));
        return row!;
      });
    } catch (error) {
      if (attempt < 3 && /unique|duplicate/i.test(String((error as Error).message))) continue;
      throw error;
    }
  }
}

export async function findReceipt(db: Db, id: string): Promise<ReceiptRow | null> {
  if (!/^[0-9a-f]{32}$/.test(id)) return null;
  const [row] = await db.select().from(authorizationReceipts).where(eq(authorizationReceipts.id, id));
  return row ?? null;
}

/** The newest receipt of a Grant (the default redirect URI leads there, §9.1.1). */
export async function latestReceiptOfGrant(db: Db, grantId: string): Promise<ReceiptRow | null> {
  const rows = await db.select().from(authorizationReceipts).where(eq(authorizationReceipts.grantId, grantId));
  return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0] ?? null;
}

/** Receipts of the Grant made after this one (§9.4: a superseded receipt links to its successor). */
export async function newerReceipt(db: Db, receipt: ReceiptRow): Promise<ReceiptRow | null> {
  const latest = await latestReceiptOfGrant(db, receipt.grantId);
  return latest && latest.id !== receipt.id && latest.createdAt > receipt.createdAt ? latest : null;
}
