/**
 * What of an error may reach a log line. A failed query's message carries its
 * SQL parameters (drizzle: "Failed query: …\nparams: …"), and those are
 * stored payloads: session ids, cookies, codes, request parameters. So the
 * log keeps the error's type, its PostgreSQL error code and the first line of
 * its message with any `params:` part cut off; the stack only for errors
 * nobody expected, rebuilt from the frames so the message cannot ride along.
 */
export interface LoggableError {
  type: string;
  message: string;
  /** The PostgreSQL SQLSTATE (e.g. `22021` for a NUL byte), when a query failed. */
  code?: string;
  stack?: string;
}

export function loggableError(error: unknown, options: { stack?: boolean } = {}): LoggableError {
  if (!(error instanceof Error)) return { type: typeof error, message: "a non-Error value was thrown" };
  const cause = (error as { cause?: unknown }).cause;
  const code = sqlState(error) ?? sqlState(cause);
  const out: LoggableError = { type: error.name, message: safeMessage(error.message) };
  if (code) out.code = code;
  if (options.stack && error.stack) {
    const frames = error.stack.split("\n").filter((line) => /^\s+at /.test(line));
    out.stack = [`${out.type}: ${out.message}`, ...frames].join("\n");
  }
  return out;
}

function sqlState(value: unknown): string | undefined {
  const code = (value as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The first line only, with anything from `params` on removed: a query's SQL text holds placeholders, not values. */
export function safeMessage(message: string): string {
  const first = message.split("\n")[0] ?? "";
  return first.replace(/\s*params:.*$/i, "").slice(0, 500);
}
