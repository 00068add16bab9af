/**
 * The errors the client throws. Every one names the URL it was talking to, so
 * a user facing hundreds of utilities knows which one broke and where.
 */
import type { ValidationError } from "@cds-toolkit/validators";

/** Base class: `url` is the resource whose answer (or silence) caused the error. */
export class CdsClientError extends Error {
  override readonly name: string = "CdsClientError";
  readonly url: string;
  constructor(message: string, url: string, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
  }
}

/** Which link of the discovery chain (CDS-WG1-01 §5, RFC 8414) broke. */
export type DiscoveryFailure =
  /** Nothing answered (DNS, refused connection, TLS, timeout), or the URL is not one the client may use. */
  | "unreachable"
  /** The metadata URL answered 301/302/307/308; the redirect is not followed (a moved document is reported, not trusted). */
  | "moved"
  /** An HTTP status other than 200. */
  | "http_status"
  /** A 200 whose body is not JSON or not a CDS Server Metadata document. */
  | "not_cds_server"
  /** A CDS Server without the `oauth` capability or `oauth_metadata` (CDS-WG1-02 §3.1). */
  | "no_oauth_capability"
  /** The RFC 8414 document is missing, malformed or lacks the CDS fields. */
  | "invalid_oauth_metadata";

export interface DiscoveryDetails {
  status?: number;
  location?: string | null;
  errors?: ValidationError[];
}

export class DiscoveryError extends CdsClientError {
  override readonly name = "DiscoveryError";
  readonly failure: DiscoveryFailure;
  readonly details: DiscoveryDetails;
  constructor(failure: DiscoveryFailure, message: string, url: string, details: DiscoveryDetails = {}, options?: { cause?: unknown }) {
    super(message, url, options);
    this.failure = failure;
    this.details = details;
  }
}

/** A response that breaks even the lenient rules (the ones Clients must hold Servers to); each error has its JSON Pointer. */
export class ResponseValidationError extends CdsClientError {
  override readonly name = "ResponseValidationError";
  readonly model: string;
  readonly errors: ValidationError[];
  constructor(model: string, errors: ValidationError[], url: string) {
    super(`${url}: the response is not a valid ${model}: ${errors.map((e) => `${e.message} (rule ${e.rule})`).join("; ")}`, url);
    this.model = model;
    this.errors = errors;
  }
}

/** A body that is not JSON at all. */
export class MalformedResponseError extends CdsClientError {
  override readonly name = "MalformedResponseError";
  readonly status: number;
  constructor(url: string, status: number, cause: unknown) {
    super(`${url}: answered ${status} with a body that is not JSON`, url, { cause });
    this.status = status;
  }
}

/** A non-2xx answer from a CDS API; `problem` holds the RFC 9457 body when the Server sent one. */
export class CdsApiError extends CdsClientError {
  override readonly name = "CdsApiError";
  readonly status: number;
  readonly problem: Record<string, unknown> | null;
  constructor(status: number, problem: Record<string, unknown> | null, url: string) {
    super(`${url}: answered ${status}${problemSummary(problem)}`, url);
    this.status = status;
    this.problem = problem;
  }
}

/** An OAuth endpoint refused (RFC 6749 §5.2 `error`, or a WWW-Authenticate challenge). Never carries tokens or secrets. */
export class OAuthError extends CdsClientError {
  override readonly name = "OAuthError";
  readonly error: string;
  readonly description: string | undefined;
  readonly status: number | undefined;
  constructor(error: string, description: string | undefined, url: string, status?: number, options?: { cause?: unknown }) {
    super(`${url}: ${error}${description ? `: ${description}` : ""}`, url, options);
    this.error = error;
    this.description = description;
    this.status = status;
  }
}

/** The access token stayed invalid after one refresh (RFC 6750 §3.1 `invalid_token`). */
export class InvalidTokenError extends CdsClientError {
  override readonly name = "InvalidTokenError";
}

/** A listing whose `next` link leads back to a page already read. */
export class PagingLoopError extends CdsClientError {
  override readonly name = "PagingLoopError";
}

function problemSummary(problem: Record<string, unknown> | null): string {
  if (!problem) return "";
  const parts = [problem.title, problem.detail].filter((p): p is string => typeof p === "string");
  const fields = Array.isArray(problem.errors)
    ? (problem.errors as Array<Record<string, unknown>>).map((e) => `${String(e.pointer ?? "")} (${String(e.rule ?? "")}): ${String(e.message ?? "")}`)
    : [];
  const text = [...parts, ...fields].join("; ");
  return text ? `: ${text}` : "";
}
