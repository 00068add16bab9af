/**
 * One wait per request for announcements in transit (db/change-feed.ts
 * `sync`): once it resolves, every change committed before the request
 * arrived has reached this instance's caches, which is all any cache read in
 * the same request needs. The bearer-token lookup and a cached listing then
 * share one round trip on PostgreSQL's listening connection instead of
 * taking one each.
 */
import type { FastifyRequest } from "fastify";
import type { ChangeFeed } from "../db/change-feed.js";

const synced = new WeakMap<FastifyRequest, Promise<boolean>>();

/** The request's `sync`, made on its first call and shared by the later ones. */
export function requestSync(request: FastifyRequest, changes: ChangeFeed | null): () => Promise<boolean> {
  return () => {
    if (!changes) return Promise.resolve(false);
    let done = synced.get(request);
    if (!done) synced.set(request, (done = changes.sync()));
    return done;
  };
}
