/**
 * Request loggers made only when a request logs something. Fastify gives
 * every request a pino child logger (`logger.child({ reqId })`); with the
 * redaction paths of logging.ts, making one runs the redaction serializer
 * over its bindings, a measurable share of a cheap request such as the
 * metadata document (issue 10's profile). At `warn` and above most requests
 * log nothing, so this stand-in makes the child on the first call at an
 * enabled level, and never otherwise. What is logged is unchanged: the same
 * child, the same bindings, the same redaction.
 */
import type { FastifyBaseLogger, FastifyServerOptions } from "fastify";

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;

type Factory = NonNullable<FastifyServerOptions["childLoggerFactory"]>;

export const lazyChildLoggerFactory: Factory = function lazyChildLogger(logger, bindings, options) {
  // A route's own log level makes the child differ from its parent in what it logs: made at once, as by default.
  if (options && Object.keys(options).length > 0) return logger.child(bindings, options);
  let child: FastifyBaseLogger | undefined;
  const real = () => (child ??= logger.child(bindings, options));
  const stand = {
    get level() {
      return child?.level ?? logger.level;
    },
    set level(value: string) {
      real().level = value;
    },
    silent() {},
    child(more: Parameters<FastifyBaseLogger["child"]>[0], moreOptions?: Parameters<FastifyBaseLogger["child"]>[1]) {
      return real().child(more, moreOptions);
    },
  } as Record<string, unknown>;
  // pino's; a logger without it is asked every time (the child is then made on the first call).
  const enabled = (level: string) => (logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.(level) ?? true;
  for (const level of LEVELS) {
    stand[level] = (...args: unknown[]) => {
      if (!child && !enabled(level)) return;
      (real()[level] as (...a: unknown[]) => void)(...args);
    };
  }
  return stand as unknown as FastifyBaseLogger;
};
