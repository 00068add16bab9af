/**
 * The database's announcements of changes that end bearer-token access
 * (migration 0009: triggers `pg_notify` on the channel `cds_token_changes`
 * when a token row, a Client Object or a Credential is updated, deleted or
 * truncated), delivered to in-memory caches so they can drop stale entries
 * the moment the change commits, whichever instance made it.
 *
 * - PostgreSQL: one dedicated connection per instance runs `LISTEN`. A cache
 *   may trust what it holds only while that connection is up (`live`): when
 *   it drops, listeners get `*` (forget everything) and `live` is false until
 *   it is listening again, after which listeners get `*` once more, for
 *   whatever changed while nobody listened.
 *   PostgreSQL sends a notification to a listening session some time after
 *   the commit (when that backend next runs), so a client told "done" by one
 *   instance could reach another first. `sync()` closes that window: one
 *   round trip on the listening connection, after which every change
 *   committed before the call has been delivered (a backend sends pending
 *   notifications before it reports ready for the next query). Concurrent
 *   callers share one round trip.
 * - PGlite: one process, one session; it delivers its own notifications
 *   (as queued microtasks) before the query that caused them resolves, so a
 *   cache sees the change before the writer's `await` returns; `sync()` has
 *   nothing to wait for.
 */
import pg from "pg";
import type { PGlite } from "@electric-sql/pglite";

export const TOKEN_CHANGES_CHANNEL = "cds_token_changes";
/** How the listening connection names itself (`pg_stat_activity.application_name`), for operators. */
const SYNC_TIMEOUT_MS = 1000;
export const LISTENER_APPLICATION_NAME = "cds-server token changes";

/**
 * A change notice: `a:<md5 of a token>`, `c:<client_id>`, `k:<credential id>`,
 * `r:<registration_id>` (a Client Object of the registration added, changed or
 * removed; migration 0010), `g:<client_id>` (a Grant of the Client added,
 * changed or removed; migration 0015), `d:<customer>` (a Customer Data object
 * the customer owns added, changed or removed; migration 0015), or `*` for
 * everything.
 */
export type ChangeListener = (notice: string) => void;

export interface ChangeFeed {
  /** True while every committed change reaches the listeners; a cache holds nothing while it is false. */
  readonly live: boolean;
  /** Resolves true once every change committed before the call has reached the listeners; false when the feed is not live. */
  sync(): Promise<boolean>;
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}

class Listeners {
  readonly #set = new Set<ChangeListener>();
  add(listener: ChangeListener): () => void {
    this.#set.add(listener);
    return () => this.#set.delete(listener);
  }
  emit(notice: string): void {
    for (const listener of this.#set) listener(notice);
  }
}

export async function pgliteChangeFeed(client: PGlite): Promise<ChangeFeed> {
  const listeners = new Listeners();
  const stop = await client.listen(TOKEN_CHANGES_CHANNEL, (payload) => listeners.emit(payload));
  let live = true;
  return {
    get live() {
      return live;
    },
    sync: () => Promise.resolve(live),
    subscribe: (listener) => listeners.add(listener),
    async close() {
      live = false;
      listeners.emit("*");
      await stop().catch(() => {});
    },
  };
}

/**
 * `LISTEN` on its own connection (not the pool's: a pooled connection is
 * handed to queries and transactions). Reconnects with a growing delay
 * (0.1 s doubling to 10 s); resolves once the first attempt has ended, live
 * or not, so a database that is briefly away does not stop the server.
 */
export async function postgresChangeFeed(url: string, connectTimeoutMs = 3000): Promise<ChangeFeed> {
  const listeners = new Listeners();
  let client: pg.Client | null = null;
  let live = false;
  let closed = false;
  let delay = 100;
  let retry: NodeJS.Timeout | undefined;

  const lost = () => {
    if (!live) return;
    live = false;
    listeners.emit("*");
  };
  const connect = async (): Promise<void> => {
    const candidate = new pg.Client({ connectionString: url, application_name: LISTENER_APPLICATION_NAME, connectionTimeoutMillis: connectTimeoutMs, keepAlive: true });
    candidate.on("error", () => {
      lost();
      candidate.end().catch(() => {});
    });
    candidate.on("end", () => {
      lost();
      if (client === candidate) client = null;
      if (!closed) schedule();
    });
    candidate.on("notification", (message) => {
      if (message.channel === TOKEN_CHANGES_CHANNEL) listeners.emit(message.payload ?? "*");
    });
    try {
      await candidate.connect();
      await candidate.query(`LISTEN ${TOKEN_CHANGES_CHANNEL}`);
    } catch {
      await candidate.end().catch(() => {});
      return;
    }
    if (closed) {
      await candidate.end().catch(() => {});
      return;
    }
    client = candidate;
    delay = 100;
    // Whatever changed while nobody listened is unknown: caches start afresh.
    listeners.emit("*");
    live = true;
  };
  const schedule = () => {
    if (retry || closed) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, delay);
    retry.unref();
    delay = Math.min(delay * 2, 10_000);
  };

  // The round trip in flight, and the one queued behind it: a caller arriving while one is
  // in flight may have missed a change sent before it, so it waits for the next.
  let inFlight: Promise<boolean> | null = null;
  let queued: Promise<boolean> | null = null;
  const roundTrip = (): Promise<boolean> => {
    const listening = client;
    if (!live || !listening) return Promise.resolve(false);
    // A connection that hangs without closing must not hold requests: after a second the caller looks its token up instead.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), SYNC_TIMEOUT_MS)));
    const trip = Promise.race([
      listening.query("SELECT 1").then(
        () => live && client === listening,
        () => false,
      ),
      timeout,
    ]).finally(() => clearTimeout(timer));
    inFlight = trip;
    void trip.finally(() => {
      if (inFlight === trip) inFlight = null;
    });
    return trip;
  };
  const sync = (): Promise<boolean> => {
    if (!live) return Promise.resolve(false);
    if (!inFlight) return roundTrip();
    if (!queued) {
      queued = inFlight.then(() => {
        queued = null;
        return roundTrip();
      });
    }
    return queued;
  };

  await connect();
  if (!live) schedule();
  return {
    get live() {
      return live;
    },
    sync,
    subscribe: (listener) => listeners.add(listener),
    async close() {
      closed = true;
      clearTimeout(retry);
      lost();
      await client?.end().catch(() => {});
    },
  };
}
