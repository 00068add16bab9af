/**
 * What every CDS-WG1-02 listing shares with the coverage listing: space-
 * separated id filters, `page_size`, and opaque `cursor` links that keep the
 * request's filters.
 */
import { ProblemError } from "../http/problem.js";
import { decodeCursor, encodeCursor, type Cursor } from "../server-metadata/index.js";

/** 1–100 per page (CDS-WG1-02 §5.3 lets Servers cut listings at 100); 100 by default. */
export const listingPageSizes = { defaultPageSize: 100, maxPageSize: 100 } as const;

/** The server's own listing parameters, added to each operation's contract parameters. */
export const pagingParameters = {
  page_size: { type: "integer", minimum: 1, maximum: listingPageSizes.maxPageSize },
  cursor: { type: "string", minLength: 1, maxLength: 2048 },
} as const;

export interface PagingQuery {
  page_size?: number;
  cursor?: string;
}

/** A space-separated list; empty filters nothing, as if absent. */
export function idList(value: string | undefined): string[] | undefined {
  const ids = value?.split(" ").filter(Boolean);
  return ids?.length ? [...new Set(ids)] : undefined;
}

export function readCursor(value: string | undefined): Cursor | undefined {
  if (value === undefined) return undefined;
  const cursor = decodeCursor(value);
  if (!cursor) {
    throw new ProblemError(400, "The cursor is not one this server issued; follow the `next` and `previous` links as given.", [
      { pointer: "query:cursor", rule: "format", message: "query:cursor: is not a cursor this server issued" },
    ]);
  }
  return cursor;
}

/** Builds `next`/`previous` links: the listing URL with the request's own parameters and the cursor. */
export function pageLink(base: string, params: Record<string, string | number | undefined>): (cursor: Cursor | null) => string | null {
  return (cursor) => {
    if (!cursor) return null;
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value !== undefined) search.set(name, String(value));
    search.set("cursor", encodeCursor(cursor));
    return `${base}?${search.toString()}`;
  };
}

/** A datetime query parameter (§7.3 `after`/`before`), or a 400 naming it. */
export function readInstant(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const instant = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(instant.getTime())) {
    throw new ProblemError(400, `${name} must be an RFC 3339 datetime.`, [{ pointer: `query:${name}`, rule: "format", message: `query:${name}: is not an RFC 3339 datetime` }]);
  }
  return instant;
}
