/**
 * The CDS-WG1-01 §3.2 metadata document, read from the database, with the
 * CDS-WG1-02 §3.1 extension: every instance of this server is an OAuth
 * Server, so `oauth` is always a capability and `oauth_metadata` is set.
 */
import type { OAuthServerCapability, OAuthServerMetadata } from "@cds-toolkit/types";
import { eq } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { serverMetadata } from "../db/schema.js";
import type { PublicUrls } from "../urls.js";

/** The row id of the document served at the well-known URI. */
export const WELL_KNOWN_METADATA_ID = "well-known";

/**
 * The document, or null when none is configured. Its own URL and the coverage
 * URL come from the configuration, not the row, so moving the server to a new
 * domain needs no data change.
 */
export async function loadServerMetadata(db: Db, urls: PublicUrls): Promise<OAuthServerMetadata | null> {
  const [row] = await db.select().from(serverMetadata).where(eq(serverMetadata.id, WELL_KNOWN_METADATA_ID));
  if (!row) return null;
  return {
    cds_metadata_version: "v1",
    cds_metadata_url: urls.serverMetadata,
    created: row.created.toISOString(),
    updated: row.updated.toISOString(),
    name: row.name,
    description: row.description,
    website: row.website,
    documentation: row.documentation,
    support: row.support,
    capabilities: [...new Set<OAuthServerCapability>([...row.capabilities, "oauth"])],
    ...(row.capabilities.includes("coverage") ? { coverage: urls.coverage } : {}),
    ...(row.relatedMetadata?.length ? { related_metadata: row.relatedMetadata } : {}),
    oauth_metadata: urls.oauthMetadata,
  };
}
