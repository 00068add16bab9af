/**
 * Exit codes and error lines. Every failure is one line on standard error
 * naming what broke (the URL, the field and the rule); never a stack trace,
 * never a secret.
 */
import { CdsApiError, CdsClientError, DiscoveryError, InvalidTokenError, MalformedResponseError, OAuthError, ResponseValidationError } from "../errors.js";

export const EXIT = {
  ok: 0,
  /** Anything not listed below. */
  failure: 1,
  /** Bad command-line input: the option and the rule it broke. */
  usage: 2,
  /** Discovery failed or the Server could not be reached. */
  discovery: 3,
  /** OAuth refused (registration, token, authorization) or the token stayed invalid. */
  auth: 4,
  /** The Server answered with an error status. */
  api: 5,
  /** The Server's answer broke the contract even by the lenient rules Clients apply. */
  contract: 6,
} as const;

/** Bad input: the option (or field) and the rule. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(option: string, rule: string) {
    super(`${option}: ${rule}`);
  }
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof DiscoveryError) return EXIT.discovery;
  if (error instanceof OAuthError || error instanceof InvalidTokenError) return EXIT.auth;
  if (error instanceof CdsApiError) return EXIT.api;
  if (error instanceof ResponseValidationError || error instanceof MalformedResponseError) return EXIT.contract;
  if (error instanceof CdsClientError) return EXIT.failure;
  if (error instanceof TypeError && /fetch failed/.test(error.message)) return EXIT.discovery;
  return EXIT.failure;
}

export function describeError(error: unknown): string {
  if (error instanceof ResponseValidationError) {
    return [`error: ${error.url} answered a ${error.model} that breaks the contract:`, ...error.errors.map((e) => `  ${e.pointer || "/"}: rule ${e.rule}: ${e.message}`)].join("\n");
  }
  if (error instanceof Error) return `error: ${error.message}`;
  return `error: ${String(error)}`;
}
