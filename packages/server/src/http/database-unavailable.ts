/**
 * A database that is down, restarting, out of connections or too slow is a
 * temporary condition, not a server bug: the request is answered 503 with
 * `Retry-After` (RFC 9110 §15.6.4, §10.2.3), never 500, and the server
 * recovers by itself when the database answers again (the pool opens new
 * connections on demand; the change feed reconnects, db/change-feed.ts).
 *
 * This module recognises such errors, whichever driver or wrapper threw them:
 * drizzle wraps the driver's error in `cause`, oidc-provider passes it on.
 */

/** Seconds a client is asked to wait: about one reconnect attempt of the pool. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * SQLSTATEs of a database that cannot serve now: class 08 (connection
 * exception), 53 (insufficient resources: too many connections, out of
 * memory or disk), 57P01–57P03 (shutting down, crashed, starting up), 57014
 * (a statement cancelled, by `statement_timeout` or an operator), 40P01 is
 * not here: a deadlock is retried by nobody but is not an outage either.
 */
const unavailableStates = /^(08...|53...|57P0[1-3]|57014)$/;

/** Node's socket errors on the way to the database. */
const socketCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ENOTFOUND"]);

/** node-postgres's own messages for a connection that is gone or never came (it gives them no code). */
const driverMessages = [
  "timeout exceeded when trying to connect",
  "Connection terminated",
  "Query read timeout",
  "Client has encountered a connection error and is not queryable",
  "Client was closed and is not queryable",
  "Cannot use a pool after calling end on the pool",
];

/** Whether `error`, or any error in its `cause` chain, says the database cannot serve right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 8; current = (current as { cause?: unknown }).cause, depth++) {
    if (!(current instanceof Error)) return false;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (unavailableStates.test(code) || socketCodes.has(code))) return true;
    if (driverMessages.some((m) => current instanceof Error && current.message.startsWith(m))) return true;
  }
  return false;
}

export const databaseUnavailableDetail = "The database is unavailable or too slow right now; retry shortly.";
