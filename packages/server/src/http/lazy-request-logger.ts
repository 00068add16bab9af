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

type Bindings = Parameters<FastifyBaseLogger["child"]>[0];
type ChildOptions = Parameters<FastifyBaseLogger["child"]>[1];

/**
 * The stand-in: a class, so a request pays for one small object and no
 * closures (its level methods live on the prototype).
 */
class LazyChild {
  #child: FastifyBaseLogger | undefined;
  readonly #logger: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildOptions;
  constructor(logger: FastifyBaseLogger, bindings: Bindings, options: ChildOptions) {
    this.#logger = logger;
    this.#bindings = bindings;
    this.#options = options;
  }
  real(): FastifyBaseLogger {
    return (this.#child ??= this.#logger.child(this.#bindings, this.#options));
  }
  get level(): string {
    return this.#child?.level ?? this.#logger.level;
  }
  set level(value: string) {
    this.real().level = value;
  }
  silent(): void {}
  child(more: Bindings, moreOptions?: ChildOptions): FastifyBaseLogger {
    return this.real().child(more, moreOptions);
  }
  /** Whether a call at `level` must reach the real child: one exists already, or the level is enabled. */
  wants(level: string): boolean {
    // pino's; a logger without it is asked every time (the child is then made on the first call).
    return this.#child !== undefined || ((this.#logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.(level) ?? true);
  }
}
for (const level of LEVELS) {
  Object.defineProperty(LazyChild.prototype, level, {
    value: function (this: LazyChild, ...args: unknown[]) {
      if (!this.wants(level)) return;
      (this.real()[level] as (...a: unknown[]) => void)(...args);
    },
  });
}

export const lazyChildLoggerFactory: Factory = function lazyChildLogger(logger, bindings, options) {
  // A route's own log level makes the child differ from its parent in what it logs: made at once, as by default.
  if (options && Object.keys(options).length > 0) return logger.child(bindings, options);
  return new LazyChild(logger, bindings, options) as unknown as FastifyBaseLogger;
};
