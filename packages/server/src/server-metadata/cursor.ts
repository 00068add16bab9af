/**
 * Page cursors of the coverage listing: an opaque, URL-safe token holding the
 * position (`updated`, `id`) of the entry the page starts after or ends before.
 * Keyset positions stay correct when entries are added or changed between
 * requests, which offsets would not.
 */
export interface Cursor {
  direction: "after" | "before";
  updated: Date;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  const json = JSON.stringify([cursor.direction === "after" ? "a" : "b", cursor.updated.toISOString(), cursor.id]);
  return Buffer.from(json).toString("base64url");
}

/** The cursor, or null when the token is not one this server made. */
export function decodeCursor(token: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(token)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [d, u, id] = value as unknown[];
  if ((d !== "a" && d !== "b") || typeof u !== "string" || typeof id !== "string") return null;
  const updated = new Date(u);
  if (Number.isNaN(updated.getTime()) || updated.toISOString() !== u) return null;
  return { direction: d === "a" ? "after" : "before", updated, id };
}
