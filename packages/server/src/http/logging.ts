/**
 * Logger settings. Secrets and tokens must never reach a log line: headers
 * that carry them are redacted, and so are query parameters and body fields
 * with a sensitive name, wherever they appear.
 */
import type { FastifyServerOptions } from "fastify";
import type { LogLevel } from "../config/index.js";
import { loggableError } from "./loggable-error.js";

/** Names of query parameters and fields whose values are secrets or tokens. */
export const sensitiveNames = [
  "client_secret",
  "access_token",
  "refresh_token",
  "id_token",
  "token",
  "code",
  "code_verifier",
  "password",
  "client_assertion",
  "request",
  "authorization",
] as const;

const REDACTED = "[Redacted]";

/** The URL with the value of every sensitive query parameter replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  if (q === -1) return url;
  const params = url
    .slice(q + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = decodeURIComponentSafe(eq === -1 ? pair : pair.slice(0, eq)).toLowerCase();
      return eq !== -1 && (sensitiveNames as readonly string[]).includes(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    });
  return `${url.slice(0, q)}?${params.join("&")}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

interface LoggedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
}

/** Where log lines go: anything with a `write` method, such as `process.stderr`. */
export interface LogStream {
  write(line: string): unknown;
}

export function loggerOptions(level: LogLevel, stream?: LogStream): FastifyServerOptions["logger"] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "req.headers[\"dpop\"]",
        "res.headers[\"set-cookie\"]",
        "headers.authorization",
        "headers.cookie",
        ...sensitiveNames.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]),
      ],
      censor: REDACTED,
    },
    serializers: {
      // Any `{ err }` logged anywhere goes through this: no SQL parameters, no payloads (loggable-error.ts).
      err: (error: unknown) => ({ stack: "", ...loggableError(error, { stack: true }) }),
      req(request: LoggedRequest) {
        return { method: request.method, url: redactUrl(request.url), remoteAddress: request.ip };
      },
    },
  };
}
