/**
 * A usage listing read straight into rows: each page's envelope is checked
 * (UsageSegmentListing with its segments set aside), then each segment is
 * decoded and checked once by `decodeUsageSegment`, with errors pointing into
 * the page (`/usage_segments/3/values/7/0/eu`). Pages are fetched as the
 * consumer reads, so memory holds one page at a time.
 */
import type * as M from "@cds-toolkit/types";
import { validateUsageSegmentListing, type Mode } from "@cds-toolkit/validators";
import type { Listing } from "../apis/listing.js";
import { ResponseValidationError } from "../errors.js";
import { checked } from "../http/read.js";
import { segmentRows, type SegmentRows } from "./rows.js";

type UsageListing<F> = Listing<F, M.UsageSegmentListing, "usage_segments">;

export interface UsageStreamOptions {
  mode?: Mode;
  /** Called after each page is decoded, with its number of segments and intervals. */
  onPage?: (segments: number, intervals: number, url: string) => void;
}

/** One page of a usage listing → its segments' rows; a broken rule is a ResponseValidationError pointing into the page. */
export function decodeUsagePage(body: unknown, url: string, mode: Mode = "lenient"): SegmentRows[] {
  const segments = typeof body === "object" && body !== null ? (body as { usage_segments?: unknown }).usage_segments : undefined;
  // The envelope (next, previous, and that usage_segments is an array), without its segments.
  checked(validateUsageSegmentListing, "UsageSegmentListing", { ...(body as object), usage_segments: Array.isArray(segments) ? [] : segments }, url, mode);
  return (segments as unknown[]).map((segment, index) => {
    try {
      return segmentRows(segment, { mode, source: url });
    } catch (error) {
      if (!(error instanceof ResponseValidationError)) throw error;
      const prefix = `/usage_segments/${index}`;
      throw new ResponseValidationError(
        "UsageSegmentListing",
        error.errors.map((e) => ({ ...e, pointer: `${prefix}${e.pointer}`, message: `${prefix}${e.message}` })),
        url,
      );
    }
  });
}

/** Every segment of every page of a usage listing, as rows, fetching a page only when the consumer gets to it. */
export async function* usageSegmentRows<F>(listing: UsageListing<F>, filters?: F, options: UsageStreamOptions = {}): AsyncGenerator<SegmentRows, void, undefined> {
  const mode = options.mode ?? listing.mode;
  for await (const { body, url } of listing.rawPages(filters)) {
    const decoded = decodeUsagePage(body, url, mode);
    options.onPage?.(decoded.length, decoded.reduce((n, d) => n + d.count, 0), url);
    yield* decoded;
  }
}
