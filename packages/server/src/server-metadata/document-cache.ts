/**
 * The public documents (CDS-WG1-01 §3 metadata, §4 coverage pages, and the
 * CDS fields of the RFC 8414 document) kept in memory as prebuilt bytes with
 * their ETag, so the hot read paths make no database round trip. Each value
 * is served at most `maxAgeMs` (1 s by default) after the load that read it
 * began (http/fresh-cache.ts; under steady traffic it is reloaded ahead, about
 * twice per `maxAgeMs`, so no request waits on the database): several instances
 * sharing one PostgreSQL serve a change made through any of them within that
 * time, and one instance serves its own changes at once (`invalidate()`).
 */
import { validateCoverageListing, validateOAuthServerMetadata } from "@cds-toolkit/validators";
import { loadCdsAuthorizationServerFields } from "../cds/authorization-server-fields.js";
import type { Db } from "../db/index.js";
import { FreshCache } from "../http/fresh-cache.js";
import { prebuild, type Prebuilt } from "../http/prebuilt-response.js";
import type { PublicUrls } from "../urls.js";
import { listCoverage } from "./coverage-listing.js";
import { decodeCursor, encodeCursor, type Cursor } from "./cursor.js";
import { loadServerMetadata } from "./metadata-document.js";

/** One coverage page as requested: the normalized query, before any database work. */
export interface CoveragePageRequest {
  /** Distinct ids, in request order; undefined for no filter. */
  ids?: string[];
  /** The `page_size` the request gave, repeated in the links; undefined for the default. */
  explicitPageSize?: number;
  pageSize: number;
  /** The `cursor` as sent (already checked to decode). */
  cursor?: string;
}

export interface PublicDocumentCaches {
  /** The metadata document, or null when none is configured. */
  metadata(): Promise<Prebuilt | null>;
  coveragePage(request: CoveragePageRequest): Promise<Prebuilt>;
  /** The CDS-WG1-02 §3.2 fields of the RFC 8414 document, or null when no metadata is configured. */
  cdsFields(): Promise<Record<string, unknown> | null>;
  /**
   * What `metadata()` / `coveragePage()` would answer right now without a
   * database round trip, or undefined when they would load (not loaded yet,
   * or older than `maxAgeMs`): for the early answer of http/public-document-fast-path.ts.
   */
  peekMetadata(): { value: Prebuilt | null } | undefined;
  peekCoveragePage(request: CoveragePageRequest): { value: Prebuilt } | undefined;
  peekCdsFields(): { value: Record<string, unknown> | null } | undefined;
  /** Forget everything: for writes made through this instance. */
  invalidate(): void;
}

/** Distinct coverage pages kept; a crawler walking many cursors evicts the oldest. */
const maxCoveragePages = 1000;

export function createPublicDocumentCaches(db: Db, urls: PublicUrls, maxAgeMs = 1000): PublicDocumentCaches {
  const metadata = new FreshCache<"metadata", Prebuilt | null>(
    async () => {
      const document = await loadServerMetadata(db, urls);
      return document ? prebuild("OAuthServerMetadata", validateOAuthServerMetadata, document) : null;
    },
    { maxAgeMs, maxEntries: 1 },
  );
  // An unchanged reload answers the very object it had: the RFC 8414 document's early answer
  // (http/public-document-fast-path.ts) replays oidc-provider's bytes while the fields are that object.
  let lastCds: { json: string; value: Record<string, unknown> | null } | undefined;
  const cdsFields = new FreshCache<"cds", Record<string, unknown> | null>(
    async () => {
      const value = await loadCdsAuthorizationServerFields(db, urls);
      const json = JSON.stringify(value);
      if (lastCds?.json !== json) lastCds = { json, value };
      return lastCds.value;
    },
    { maxAgeMs, maxEntries: 1 },
  );
  const requests = new Map<string, CoveragePageRequest>();
  const coverage = new FreshCache<string, Prebuilt>(
    async (key) => {
      const request = requests.get(key)!;
      return buildCoveragePage(db, urls, request);
    },
    { maxAgeMs, maxEntries: maxCoveragePages },
  );
  const coverageKey = (request: CoveragePageRequest) => JSON.stringify([request.ids ?? null, request.explicitPageSize ?? null, request.pageSize, request.cursor ?? null]);
  return {
    metadata: () => metadata.get("metadata"),
    cdsFields: () => cdsFields.get("cds"),
    peekMetadata: () => metadata.peek("metadata"),
    peekCdsFields: () => cdsFields.peek("cds"),
    peekCoveragePage(request) {
      // The request stays known while peek may start a background reload of its page (FreshCache `peek`).
      const key = coverageKey(request);
      requests.set(key, request);
      const page = coverage.peek(key);
      requests.delete(key);
      return page;
    },
    coveragePage(request) {
      const key = coverageKey(request);
      requests.set(key, request);
      const page = coverage.get(key);
      requests.delete(key);
      return page;
    },
    invalidate() {
      metadata.invalidate();
      cdsFields.invalidate();
      coverage.invalidate();
    },
  };
}

async function buildCoveragePage(db: Db, urls: PublicUrls, request: CoveragePageRequest): Promise<Prebuilt> {
  const { ids, explicitPageSize, pageSize } = request;
  const cursor = request.cursor === undefined ? undefined : (decodeCursor(request.cursor) ?? undefined);
  const page = await listCoverage(db, { ...(ids ? { ids } : {}), pageSize, ...(cursor ? { cursor } : {}) });
  const link = (c: Cursor | null) => {
    if (!c) return null;
    const params = new URLSearchParams();
    if (ids) params.set("ids", ids.join(" "));
    if (explicitPageSize !== undefined) params.set("page_size", String(explicitPageSize));
    params.set("cursor", encodeCursor(c));
    return `${urls.coverage}?${params.toString()}`;
  };
  const listing = { coverage_entries: page.entries, next: link(page.next), previous: link(page.previous) };
  return prebuild("CoverageListing", validateCoverageListing, listing);
}
