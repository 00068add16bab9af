/** Who the form speaks for (CDS-WG3-01 §9.2.1.1): the Server's own metadata document, never a Client's. */
export interface Brand {
  name: string;
  website: string;
  support: string;
  tosUri: string | null;
  policyUri: string | null;
}

/** A plain mark drawn here (no third-party branding, §9.2.1.1), inlined so the page loads nothing else. */
export const LOGO_DATA_URI =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><circle cx="20" cy="20" r="19" fill="#0b5394"/><path d="M22 6 11 23h8l-2 11 12-18h-8z" fill="#ffd966"/></svg>',
  );

import { eq } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { serverMetadata } from "../db/schema.js";
import { WELL_KNOWN_METADATA_ID } from "../server-metadata/index.js";

/** A neutral brand: before any metadata document is configured, and on pages answered before any lookup (http/edge-validation.ts). */
export const neutralBrand: Brand = { name: "This utility", website: "about:blank", support: "about:blank", tosUri: null, policyUri: null };

/** The brand from the Server's metadata document; the neutral one before any is configured. */
export async function loadBrand(db: Db): Promise<Brand> {
  const [row] = await db.select().from(serverMetadata).where(eq(serverMetadata.id, WELL_KNOWN_METADATA_ID));
  if (!row) return neutralBrand;
  return { name: row.name, website: row.website, support: row.support, tosUri: row.oauthTosUri ?? null, policyUri: row.oauthPolicyUri ?? null };
}
