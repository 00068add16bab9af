/** What the load benchmark (load.ts) and its target processes (load-target.ts) share. */

/** A recorded answer of the reference server, replayed byte for byte by the bare Fastify. */
export interface Fixture {
  method: string;
  /** The bare server's own path for it (one per operation, so two answers of one URL do not collide). */
  path: string;
  status: number;
  headers: Record<string, string>;
  /** Base64 of the body bytes. */
  body: string;
}

export type TargetMessage = { ready: string } | { error: string };

export const BENCH_CLIENT_SECRET = "bench-load-secret-0123456789abcdefghijklmnopqrstuvwxyz";
