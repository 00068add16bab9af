/**
 * The discovery chain: a utility's hostname or URL → its CDS Server Metadata
 * (CDS-WG1-01 §5.1, `/.well-known/cds-server-metadata.json`) → the `oauth`
 * capability's `oauth_metadata` (CDS-WG1-02 §3.1) → the RFC 8414
 * Authorization Server Metadata with the CDS fields (CDS-WG1-02 §3.2, and
 * CDS-WG3-01 §3 when the Server offers customer data). Each broken link is a
 * DiscoveryError saying which link and which URL.
 */
import type * as M from "@cds-toolkit/types";
import {
  validateAuthorizationServerMetadata,
  validateCustomerDataAuthorizationServerMetadata,
  validateOAuthCoverageListing,
  validateOAuthServerMetadata,
  validateServerMetadata,
  type Lenient,
  type Mode,
  type ValidationError,
} from "@cds-toolkit/validators";
import { DiscoveryError } from "../errors.js";
import { platformFetch, type Fetch } from "../http/fetch.js";
import { paginate } from "../paging/paginate.js";

export const SERVER_METADATA_PATH = "/.well-known/cds-server-metadata.json";

export interface DiscoverOptions {
  /** The fetch stack (default: the platform fetch). */
  fetch?: Fetch;
  /** `"strict"` to hold the Server to every rule (for Server developers); Clients default to `"lenient"`. */
  mode?: Mode;
  /** Allow `http:` URLs on hosts other than loopback (default false: RFC 9700 §2.6 wants TLS). */
  allowInsecureHttp?: boolean;
  /** Also read every page of the coverage listing (CDS-WG1-01 §5.2). */
  coverage?: boolean;
  /** Also read the Server Metadata of each `related_metadata` URL (one level, not recursively). */
  related?: boolean;
}

export interface RelatedMetadata {
  url: string;
  /** The related Server's metadata, or the error reading it; one bad link does not fail the chain. */
  result: { ok: true; metadata: Lenient<M.ServerMetadata> } | { ok: false; error: DiscoveryError };
}

export interface Discovery {
  /** The URL the Server Metadata was read from. */
  metadataUrl: string;
  serverMetadata: Lenient<M.OAuthServerMetadata>;
  /** The RFC 8414 document with the CDS-WG1-02 fields. */
  authorizationServer: Lenient<M.AuthorizationServerMetadata>;
  /** The same document read as CDS-WG3-01 metadata, when it declares `cds_customerdata_version`. */
  customerData: Lenient<M.CustomerDataAuthorizationServerMetadata> | null;
  /** Every coverage entry, when asked for and the Server has the `coverage` capability. */
  coverage?: Array<Lenient<M.OAuthCoverageEntry>>;
  related?: RelatedMetadata[];
  /** Whether plain http is allowed for this Server's URLs (loopback, or allowed explicitly). */
  allowInsecureHttp: boolean;
  mode: Mode;
}

/** `utility.example`, `https://utility.example`, or a full metadata URL → the metadata URL. */
export function metadataUrlOf(target: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? target : `https://${target}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (error) {
    throw new DiscoveryError("unreachable", `${JSON.stringify(target)} is neither a hostname nor a URL`, target, {}, { cause: error });
  }
  if (url.pathname === "/" || url.pathname === "") return new URL(SERVER_METADATA_PATH, url.origin);
  return url;
}

export function isLoopback(url: URL): boolean {
  return url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]" || url.hostname.startsWith("127.");
}

export async function discover(target: string, options: DiscoverOptions = {}): Promise<Discovery> {
  const fetch = options.fetch ?? platformFetch;
  const mode = options.mode ?? "lenient";
  const metadataUrl = metadataUrlOf(target);
  const allowInsecureHttp = options.allowInsecureHttp ?? isLoopback(metadataUrl);
  const get = (url: URL | string) => getJson(fetch, url, allowInsecureHttp);

  const raw = await get(metadataUrl);
  const base = mode === "strict" ? validateServerMetadata(raw, "strict") : validateServerMetadata(raw, "lenient");
  const hasOAuth = isObject(raw) && Array.isArray(raw.capabilities) && raw.capabilities.includes("oauth");
  // A document with the oauth capability is validated as OAuthServerMetadata; without it, as the base model.
  if (!hasOAuth) {
    if (!base.ok) throw notCds(metadataUrl.href, base.errors);
    throw new DiscoveryError("no_oauth_capability", `${metadataUrl.href}: a CDS Server without the "oauth" capability (CDS-WG1-02 §3.1); it offers no registration or OAuth`, metadataUrl.href);
  }
  const oauthResult = mode === "strict" ? validateOAuthServerMetadata(raw, "strict") : validateOAuthServerMetadata(raw, "lenient");
  if (!oauthResult.ok) {
    if (!base.ok) throw notCds(metadataUrl.href, base.errors);
    throw new DiscoveryError("no_oauth_capability", `${metadataUrl.href}: declares the "oauth" capability but ${oauthResult.errors.map((e) => e.message).join("; ")}`, metadataUrl.href, { errors: oauthResult.errors });
  }
  const serverMetadata = oauthResult.value as Lenient<M.OAuthServerMetadata>;

  const oauthUrl = serverMetadata.oauth_metadata;
  const asRaw = await get(oauthUrl).catch((error: unknown) => {
    if (error instanceof DiscoveryError && error.failure !== "unreachable" && error.failure !== "moved") {
      throw new DiscoveryError("invalid_oauth_metadata", error.message, error.url, error.details, { cause: error });
    }
    throw error;
  });
  const asResult = mode === "strict" ? validateAuthorizationServerMetadata(asRaw, "strict") : validateAuthorizationServerMetadata(asRaw, "lenient");
  if (!asResult.ok) {
    throw new DiscoveryError("invalid_oauth_metadata", `${oauthUrl}: not CDS Authorization Server Metadata: ${asResult.errors.map((e) => e.message).join("; ")}`, oauthUrl, { errors: asResult.errors });
  }
  const authorizationServer = asResult.value as Lenient<M.AuthorizationServerMetadata>;
  let customerData: Lenient<M.CustomerDataAuthorizationServerMetadata> | null = null;
  if (isObject(asRaw) && "cds_customerdata_version" in asRaw) {
    const cd = mode === "strict" ? validateCustomerDataAuthorizationServerMetadata(asRaw, "strict") : validateCustomerDataAuthorizationServerMetadata(asRaw, "lenient");
    if (!cd.ok) throw new DiscoveryError("invalid_oauth_metadata", `${oauthUrl}: declares cds_customerdata_version but is not CDS-WG3-01 metadata: ${cd.errors.map((e) => e.message).join("; ")}`, oauthUrl, { errors: cd.errors });
    customerData = cd.value as Lenient<M.CustomerDataAuthorizationServerMetadata>;
  }

  const discovery: Discovery = { metadataUrl: metadataUrl.href, serverMetadata, authorizationServer, customerData, allowInsecureHttp, mode };

  if (options.coverage && serverMetadata.coverage && serverMetadata.capabilities.includes("coverage")) {
    const entries: Array<Lenient<M.OAuthCoverageEntry>> = [];
    const pages = paginate({
      first: serverMetadata.coverage,
      fetch: checkedFetch(fetch, allowInsecureHttp),
      read: (body, url) => {
        const page = mode === "strict" ? validateOAuthCoverageListing(body, "strict") : validateOAuthCoverageListing(body, "lenient");
        if (!page.ok) throw new DiscoveryError("not_cds_server", `${url}: not a coverage listing: ${page.errors.map((e) => e.message).join("; ")}`, url, { errors: page.errors });
        return { items: page.value.coverage_entries as Array<Lenient<M.OAuthCoverageEntry>>, next: page.value.next };
      },
    });
    for await (const entry of pages) entries.push(entry);
    discovery.coverage = entries;
  }

  if (options.related) {
    discovery.related = await Promise.all(
      (serverMetadata.related_metadata ?? []).map(async (url): Promise<RelatedMetadata> => {
        try {
          const body = await get(url);
          const result = validateServerMetadata(body, "lenient");
          if (!result.ok) return { url, result: { ok: false, error: notCds(url, result.errors) } };
          return { url, result: { ok: true, metadata: result.value as Lenient<M.ServerMetadata> } };
        } catch (error) {
          if (error instanceof DiscoveryError) return { url, result: { ok: false, error } };
          throw error;
        }
      }),
    );
  }
  return discovery;
}

function notCds(url: string, errors: ValidationError[]): DiscoveryError {
  return new DiscoveryError("not_cds_server", `${url}: not a CDS Server Metadata document (CDS-WG1-01 §5.1): ${errors.map((e) => e.message).join("; ")}`, url, { errors });
}

/** The fetch discovery uses for pages: redirects refused, http refused off loopback. */
function checkedFetch(fetch: Fetch, allowInsecureHttp: boolean): Fetch {
  return async (request) => {
    assertSecure(new URL(request.url), allowInsecureHttp);
    return fetch(request);
  };
}

export function assertSecure(url: URL, allowInsecureHttp: boolean): void {
  if (url.protocol === "https:") return;
  if (url.protocol === "http:" && allowInsecureHttp) return;
  throw new DiscoveryError("unreachable", `${url.href}: refusing ${url.protocol} (only https, or http on loopback unless allowInsecureHttp is set; RFC 9700 §2.6)`, url.href);
}

/** GET a JSON document, each failure a DiscoveryError naming the URL. */
async function getJson(fetch: Fetch, target: URL | string, allowInsecureHttp: boolean): Promise<unknown> {
  const url = new URL(target);
  assertSecure(url, allowInsecureHttp);
  let response: Response;
  try {
    response = await fetch(new Request(url, { headers: { accept: "application/json" }, redirect: "manual" }));
  } catch (error) {
    const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new DiscoveryError("unreachable", `${url.href}: unreachable (${reason})`, url.href, {}, { cause: error });
  }
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get("location");
    await response.body?.cancel();
    throw new DiscoveryError("moved", `${url.href}: answered ${response.status} (moved${location ? ` to ${location}` : ""}); CDS metadata must be served at its own URL, so the redirect is not followed. Update the URL you have if the move is genuine`, url.href, { status: response.status, location });
  }
  const text = await response.text();
  if (response.status !== 200) {
    throw new DiscoveryError("http_status", `${url.href}: answered ${response.status}, not 200`, url.href, { status: response.status });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DiscoveryError("not_cds_server", `${url.href}: the body is not JSON, so this is not a CDS Server`, url.href, { status: 200 }, { cause: error });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
