export { listCoverage, toCoverageEntry, type CoveragePage, type CoverageQuery } from "./coverage-listing.js";
export { decodeCursor, encodeCursor, type Cursor } from "./cursor.js";
export { loadServerMetadata, WELL_KNOWN_METADATA_ID } from "./metadata-document.js";
